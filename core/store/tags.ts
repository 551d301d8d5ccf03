// The community's tag vocabulary (names shared by Discourse tags and engine suggestions), with
// each tag's status (active, proposed, rejected) and where it came from. Only active tags are
// used for tagging, replies and the dashboard's figures.
import { tagId } from '../types.js';
import { asOneOf, type StoreContext } from './context.js';
import { TAG_ORIGINS, TAG_STATUSES, type Tag, type TagOrigin, type TagStatus } from './types.js';

export interface TagRepository {
  /**
   * Creates the tag or updates its description; an omitted description is left unchanged. With
   * an origin (the configured vocabulary), the tag is also made active and marked as from there.
   */
  upsert(name: string, description?: string | null, origin?: TagOrigin): Promise<Tag>;
  /** All tags by name (or those of one status), with how many documents and requests carry each. */
  list(status?: TagStatus): Promise<Tag[]>;
  get(name: string): Promise<Tag | null>;
  /** Stores a suggested tag as proposed, unless a tag of that name exists (in any status). */
  propose(name: string, description: string): Promise<{ tag: Tag; created: boolean }>;
  setStatus(name: string, status: TagStatus): Promise<Tag>;
  /** Renames a tag; refused (RangeError) when the new name is taken. */
  rename(name: string, to: string): Promise<Tag>;
  /**
   * Moves every document and request of `from` to `into` (keeping the stronger of two marks on
   * the same one), then deletes `from`. Returns the tag merged into.
   */
  merge(from: string, into: string): Promise<Tag>;
}

type Row = { id: number; name: string; description: string | null; status: string; origin: string; _count: { documents: number; problems: number } };

export function tagRepository(ctx: StoreContext): TagRepository {
  const { prisma, db } = ctx;
  const withCount = { _count: { select: { documents: true, problems: true } } } as const;
  const toTag = (row: Row): Tag => ({
    id: tagId(row.id),
    name: row.name,
    description: row.description,
    status: asOneOf(TAG_STATUSES, row.status, 'tag status'),
    origin: asOneOf(TAG_ORIGINS, row.origin, 'tag origin'),
    documentCount: row._count.documents,
    problemCount: row._count.problems,
  });
  const cleanName = (raw: string): string => {
    const name = raw.trim();
    if (name === '') throw new RangeError('a tag needs a name');
    return name;
  };
  const find = async (name: string): Promise<Tag | null> => {
    const row = await prisma.tag.findUnique({ where: { name: name.trim() }, include: withCount });
    return row ? toTag(row) : null;
  };
  const existing = async (name: string): Promise<Tag> =>
    (await find(name)) ??
    (() => {
      throw new RangeError(`there is no tag "${name.trim()}"`);
    })();

  const moveDocuments = db.prepare(`INSERT INTO "DocumentTag" ("documentId", "tagId", "source", "confidence")
      SELECT "documentId", @into, "source", "confidence" FROM "DocumentTag" WHERE "tagId" = @from
      ON CONFLICT ("documentId", "tagId") DO UPDATE SET
        "source" = CASE WHEN excluded."source" = 'platform' THEN 'platform' ELSE "DocumentTag"."source" END,
        "confidence" = max("DocumentTag"."confidence", excluded."confidence")`);
  const moveProblems = db.prepare(`INSERT INTO "ProblemTag" ("problemId", "tagId", "confidence")
      SELECT "problemId", @into, "confidence" FROM "ProblemTag" WHERE "tagId" = @from
      ON CONFLICT ("problemId", "tagId") DO UPDATE SET "confidence" = max("ProblemTag"."confidence", excluded."confidence")`);
  const deleteTag = db.prepare('DELETE FROM "Tag" WHERE "id" = ?');
  const mergeRows = db.transaction((from: number, into: number) => {
    moveDocuments.run({ from, into });
    moveProblems.run({ from, into });
    deleteTag.run(from);
  });

  return {
    upsert: (rawName, description, origin) =>
      ctx.write(async () => {
        const name = cleanName(rawName);
        const row = await prisma.tag.upsert({
          where: { name },
          create: { name, description: description ?? null, ...(origin ? { origin, status: 'active' } : {}) },
          update: { ...(description === undefined ? {} : { description }), ...(origin ? { origin, status: 'active' } : {}) },
          include: withCount,
        });
        return toTag(row);
      }),
    list: async (status) => (await prisma.tag.findMany({ ...(status ? { where: { status } } : {}), orderBy: { name: 'asc' }, include: withCount })).map(toTag),
    get: find,
    propose: (rawName, description) =>
      ctx.write(async () => {
        const name = cleanName(rawName);
        const found = await find(name);
        if (found) return { tag: found, created: false };
        const row = await prisma.tag.create({ data: { name, description, status: 'proposed', origin: 'suggested' }, include: withCount });
        return { tag: toTag(row), created: true };
      }),
    setStatus: (name, status) =>
      ctx.write(async () => {
        const tag = await existing(name);
        const row = await prisma.tag.update({ where: { id: tag.id }, data: { status }, include: withCount });
        return toTag(row);
      }),
    rename: (name, rawTo) =>
      ctx.write(async () => {
        const to = cleanName(rawTo);
        const tag = await existing(name);
        if (to === tag.name) return tag;
        if (await find(to)) throw new RangeError(`a tag "${to}" exists already`);
        const row = await prisma.tag.update({ where: { id: tag.id }, data: { name: to }, include: withCount });
        ctx.tagGeneration.value++;
        return toTag(row);
      }),
    merge: (fromName, intoName) =>
      ctx.write(async () => {
        const [from, into] = [await existing(fromName), await existing(intoName)];
        if (from.id === into.id) throw new RangeError('a tag cannot be merged into itself');
        mergeRows(from.id, into.id);
        ctx.tagGeneration.value++;
        return existing(into.name);
      }),
  };
}
