// GET /api/problems and /api/problems/:id: the searchable list and one problem's story.
// The text (and titles drawn from it) is for the admin role only.
import { timeToFirstResponse } from '../../../core/metrics/problems.js';
import type { DashboardMember, DashboardQueries, ProblemDetailRow, ProblemRow } from '../../../core/store/index.js';
import { platformIds } from '../../../core/platforms.js';
import { problemId, type MemberId, type ProblemId } from '../../../core/types.js';
import { OPTED_OUT_LABEL, PROBLEM_STATUSES, type ProblemDetail, type ProblemsResponse, type Role } from '../api-types.js';
import { memberName } from './names.js';
import { BadRequest, intParam, oneOfParam } from './params.js';
import type { ResolvedPeriod } from './period.js';

export const PROBLEM_LIST_PARAMS = ['period', 'from', 'to', 'status', 'tag', 'platform', 'q', 'limit', 'offset'] as const;
const TITLE_CHARS = 120;

/** The first line of the request, shortened; viewers see only the number. */
export function problemTitle(row: Pick<ProblemRow, 'id' | 'head'>, role: Role): string {
  if (role !== 'admin') return `Problem #${row.id}`;
  const line =
    row.head
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  if (line === '') return `Problem #${row.id}`;
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1).trimEnd()}…` : line;
}

export function problemList(
  q: DashboardQueries,
  members: ReadonlyMap<MemberId, DashboardMember>,
  p: ResolvedPeriod,
  query: Record<string, string | undefined>,
  role: Role,
): ProblemsResponse {
  const text = (query.q ?? '').trim();
  if (text.length > 200) throw new BadRequest('q is at most 200 characters');
  const words = text === '' ? [] : text.split(/\s+/);
  if (words.length > 8) throw new BadRequest('q is at most 8 words');
  const tag = query.tag?.trim();
  if (tag !== undefined && (tag === '' || tag.length > 100)) throw new BadRequest('tag must be a tag name (1 to 100 characters)');
  const { total, rows } = q.searchProblems({
    from: p.period.from,
    to: p.period.to,
    status: oneOfParam(query.status, 'status', PROBLEM_STATUSES),
    platform: oneOfParam(query.platform, 'platform', platformIds()),
    tag,
    words,
    // Viewers may not read the text, so they may not search it either (a search is a probe).
    searchText: role === 'admin',
    limit: intParam(query.limit, 'limit', 1, 200, 50),
    offset: intParam(query.offset, 'offset', 0, 1_000_000, 0),
  });
  const ids = rows.map((r) => r.id);
  const tags = q.tagsOf(ids);
  const responders = q.respondersOf(ids);
  const firsts = new Map(
    timeToFirstResponse(
      rows,
      responders.map((r) => ({ ...r, createdAt: r.firstAt })),
    ).map((f) => [f.problemId, f.ms]),
  );
  const names = new Map<ProblemId, string[]>(ids.map((id) => [id, []]));
  for (const r of responders) names.get(r.problemId)?.push(memberName(members, r.memberId));
  return {
    period: p.range,
    total,
    items: rows.map((r) => ({
      id: r.id,
      title: problemTitle(r, role),
      status: r.status,
      tags: tags.get(r.id) ?? [],
      platform: r.platform,
      createdAt: r.createdAt.toISOString(),
      timeToFirstResponseMs: firsts.get(r.id) ?? null,
      responders: names.get(r.id) ?? [],
    })),
  };
}

/** A problem id from the path, or null when it cannot be one (answered 404 like an unknown id). */
export function parseProblemId(raw: string): ProblemId | null {
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 ? problemId(Number(raw)) : null;
}

export interface PlatformLinks {
  /** Forum base URL, for topics known by id only. */
  discourseBaseUrl?: string | undefined;
}

const matrixLink = (room: string, event?: string | null): string =>
  `https://matrix.to/#/${encodeURIComponent(room)}${event ? `/${encodeURIComponent(event)}` : ''}`;
const forumLink = (base: string, topic: string): string => `${base.replace(/\/+$/, '')}/t/${encodeURIComponent(topic)}`;

function linksOf(row: ProblemDetailRow, links: PlatformLinks): ProblemDetail['links'] {
  const out: ProblemDetail['links'] = {};
  if (row.platform === 'matrix') {
    const permalink = row.containerId ? matrixLink(row.containerId, row.threadId) : null;
    if (row.sourceUrl ?? permalink) out.matrix = (row.sourceUrl ?? permalink)!;
  } else if (row.sourceUrl) {
    out.forum = row.sourceUrl;
  } else if (row.threadId && links.discourseBaseUrl) {
    out.forum = forumLink(links.discourseBaseUrl, row.threadId);
  }
  for (const t of row.threads) {
    if (t.platform === 'discourse' && !out.forum && links.discourseBaseUrl) out.forum = forumLink(links.discourseBaseUrl, t.threadId);
    if (t.platform === 'matrix' && !out.matrix) out.matrix = matrixLink(t.containerId, t.threadId);
  }
  return out;
}

function responseLink(r: ProblemDetailRow['responses'][number], links: PlatformLinks): string | null {
  if (r.url) return r.url;
  if (!r.externalId) return null;
  if (r.platform === 'matrix') return r.containerId ? matrixLink(r.containerId, r.externalId) : null;
  // Forum posts are known as "topic/post_number".
  const [topic, post] = r.externalId.split('/');
  if (!links.discourseBaseUrl || !topic) return null;
  return `${forumLink(links.discourseBaseUrl, topic)}${post ? `/${encodeURIComponent(post)}` : ''}`;
}

/** Causes were written with the names of the day ("Dee answered on matrix"): opted-out names are taken out. */
function withoutOptedOutNames(cause: string, members: ReadonlyMap<MemberId, DashboardMember>): string {
  let out = cause;
  for (const m of members.values()) if (m.optedOut && m.name.trim().length > 1) out = out.replaceAll(m.name, OPTED_OUT_LABEL);
  return out;
}

export function problemDetail(
  q: DashboardQueries,
  members: ReadonlyMap<MemberId, DashboardMember>,
  id: ProblemId,
  role: Role,
  links: PlatformLinks,
): ProblemDetail | null {
  const row = q.problem(id);
  if (!row) return null;
  return {
    id: row.id,
    title: problemTitle(row, role),
    text: role === 'admin' ? row.text : null,
    status: row.status,
    tags: row.tags,
    platform: row.platform,
    createdAt: row.createdAt.toISOString(),
    solvedAt: row.solvedAt?.toISOString() ?? null,
    originator: memberName(members, row.originatorId),
    links: linksOf(row, links),
    timeline: row.transitions.map((t) => ({ at: t.at.toISOString(), from: t.from, to: t.to, cause: withoutOptedOutNames(t.cause, members) })),
    responses: row.responses.map((r) => ({ member: memberName(members, r.memberId), at: r.at.toISOString(), link: responseLink(r, links) })),
  };
}
