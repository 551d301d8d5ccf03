// The sandbox community must be repeatable, internally consistent and varied enough that the
// engine's similarity and routing have something real to work on.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.js';
import { generateCommunity, newAnswerText, newProblemText, TAG_NAMES, type Member } from './community.js';
import { TAG_PHRASES } from './tag-phrases.js';

const community = generateCommunity();
const byId = new Map(community.members.map((m) => [m.id, m]));
const sentences = (text: string) => text.split(/(?<=[.?!])\s+/).filter(Boolean);

describe('generateCommunity', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateCommunity()).toEqual(community);
    const other = generateCommunity({ seed: 7 });
    expect(other.members.map((m) => m.name)).not.toEqual(community.members.map((m) => m.name));
    expect(other.problems.map((p) => p.body)).not.toEqual(community.problems.map((p) => p.body));
  });

  it('has the requested counts', () => {
    expect(community.members).toHaveLength(40);
    expect(community.tags).toHaveLength(15);
    expect(community.problems).toHaveLength(300);
    expect(generateCommunity({ members: 12, problems: 50, weeksOfHistory: 4 }).problems).toHaveLength(50);
  });

  it('gives members unique handles, kebab-case tags, and sane profiles; one name is shared by two different people', () => {
    const { members, tags } = community;
    for (const key of ['matrixLocalpart', 'discourseUsername', 'id'] as const) {
      expect(new Set(members.map((m) => m[key])).size).toBe(members.length);
    }
    // Two people with one name and handles of their own: one has only ever written on Matrix, the
    // other on the forum, so their accounts look like one person's.
    expect(new Set(members.map((m) => m.name)).size).toBe(members.length - 1);
    const namesake = members.find((m) => m.namesakeOf)!;
    const original = members.find((m) => m.id === namesake.namesakeOf)!;
    expect(namesake.name).toBe(original.name);
    expect([original.prefers, namesake.prefers]).toEqual(['matrix', 'discourse']);
    expect(namesake.discourseUsername).toBe(`${original.discourseUsername}2`);
    const wrote = (m: typeof original, platform: string) =>
      community.problems.some((p) => p.venue.platform === platform && (p.originatorId === m.id || p.answers.some((a) => a.authorId === m.id)));
    expect([wrote(original, 'matrix'), wrote(original, 'discourse'), wrote(namesake, 'discourse')]).toEqual([true, false, true]);
    for (const m of members) {
      expect(m.matrixLocalpart).toMatch(/^[a-z0-9._=-]+$/);
      expect(m.discourseUsername).toMatch(/^[a-z0-9_]{3,20}$/);
      expect(m.topTags.length).toBeGreaterThanOrEqual(1);
      expect(m.topTags.length).toBeLessThanOrEqual(3);
      expect(Object.keys(m.expertise).sort()).toEqual([...TAG_NAMES].sort());
      expect(() => new Intl.DateTimeFormat('en', { timeZone: m.timeZone })).not.toThrow();
      if (m.quietHours) expect(m.quietHours).toMatch(/^\d{2}:\d{2}-\d{2}:\d{2}$/);
    }
    expect(members.some((m) => m.newcomer)).toBe(true);
    for (const level of ['helper', 'occasional', 'lurker'] as const) expect(members.some((m) => m.activity === level)).toBe(true);
    for (const t of tags) {
      expect(t.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(members.some((m) => m.topTags[0] === t.name || m.topTags.includes(t.name))).toBe(true);
    }
  });

  it('ties every problem to 1-2 known tags, a valid veteran originator and a known venue', () => {
    for (const p of community.problems) {
      expect(p.tags.length).toBeGreaterThanOrEqual(1);
      expect(p.tags.length).toBeLessThanOrEqual(2);
      for (const t of p.tags) expect(TAG_NAMES).toContain(t);
      const asker = byId.get(p.originatorId);
      expect(asker?.newcomer).toBe(false);
      if (p.venue.platform === 'matrix') expect(community.rooms).toContain(p.venue.room);
      else expect(community.categories).toContain(p.venue.category);
    }
  });

  it('dates problems inside the history window, busier towards the end', () => {
    const start = Date.parse(community.historyStart);
    const now = Date.parse(community.now);
    expect(now - start).toBe(26 * 7 * 24 * 3_600_000);
    const times = community.problems.map((p) => Date.parse(p.createdAt));
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThan(now);
    }
    expect([...times].sort((a, b) => a - b)).toEqual(times); // ids follow time
    const half = (now + start) / 2;
    expect(times.filter((t) => t >= half).length).toBeGreaterThan(times.filter((t) => t < half).length);
  });

  it('never has the originator answer, and dates answers after the question and before now', () => {
    const now = Date.parse(community.now);
    for (const p of community.problems) {
      let previous = Date.parse(p.createdAt);
      for (const a of p.answers) {
        expect(a.authorId).not.toBe(p.originatorId);
        expect(byId.get(a.authorId)?.newcomer).toBe(false);
        expect(Date.parse(a.createdAt)).toBeGreaterThan(previous);
        expect(Date.parse(a.createdAt)).toBeLessThan(now);
        previous = Date.parse(a.createdAt);
      }
      expect(p.answers.length).toBeLessThanOrEqual(4);
      if (p.acceptedAnswerId) {
        expect(p.answers.map((a) => a.id)).toContain(p.acceptedAnswerId);
        expect(p.solved).toBe(true);
      }
    }
    const answered = community.problems.filter((p) => p.answers.length > 0).length / community.problems.length;
    expect(answered).toBeGreaterThanOrEqual(0.75);
    expect(answered).toBeLessThanOrEqual(0.85);
  });

  it('writes varied texts of the intended length, with every slot filled', () => {
    const { problems } = community;
    expect(new Set(problems.map((p) => p.body)).size).toBeGreaterThanOrEqual(0.95 * problems.length);
    expect(new Set(problems.map((p) => p.title)).size).toBeGreaterThanOrEqual(0.95 * problems.length);
    const answers = problems.flatMap((p) => p.answers.map((a) => a.body));
    expect(new Set(answers).size).toBeGreaterThan(0.6 * answers.length);
    for (const p of problems) {
      expect(sentences(p.body).length).toBeGreaterThanOrEqual(2);
      expect(sentences(p.body).length).toBeLessThanOrEqual(5);
      expect(`${p.title} ${p.body}`).not.toMatch(/[{}]/);
      for (const a of p.answers) {
        expect(sentences(a.body).length).toBeGreaterThanOrEqual(1);
        expect(sentences(a.body).length).toBeLessThanOrEqual(4);
        expect(a.body).not.toMatch(/[{}]/);
      }
    }
  });

  it('routes answers to experts far more often than chance', () => {
    const strongIn = (m: Member, tags: string[]) => tags.includes(m.topTags[0] as string);
    let hits = 0;
    let expected = 0;
    let total = 0;
    for (const p of community.problems) {
      const eligible = community.members.filter((m) => !m.newcomer && m.id !== p.originatorId);
      const base = eligible.filter((m) => strongIn(m, p.tags)).length / eligible.length;
      for (const a of p.answers) {
        total++;
        expected += base;
        if (strongIn(byId.get(a.authorId) as Member, p.tags)) hits++;
      }
    }
    // Chance is under 10%: an answerer's top tag matches the problem's tag about a third of the time.
    expect(hits / total).toBeGreaterThan(2.5 * (expected / total));
    // ...but not always: non-experts answer too.
    expect(hits / total).toBeLessThan(0.8);
  });
});

describe('text for new activity', () => {
  it('pairs every situation with a title topic', () => {
    for (const [tag, bank] of Object.entries(TAG_PHRASES)) expect(bank.topics.length, tag).toBe(bank.situations.length);
  });

  it('is deterministic for the same Rng seed and works for every tag', () => {
    for (const tag of TAG_NAMES) {
      const a = newProblemText(mulberry32(5), tag, { teamSize: 8 });
      expect(newProblemText(mulberry32(5), tag, { teamSize: 8 })).toEqual(a);
      expect(a.title.length).toBeGreaterThan(10);
      expect(newAnswerText(mulberry32(5), tag, { expertise: 0.9 })).toEqual(newAnswerText(mulberry32(5), tag, { expertise: 0.9 }));
    }
    expect(() => newProblemText(mulberry32(1), 'astrology')).toThrow(/unknown sandbox tag/);
  });

  it('avoids titles and bodies it is told are taken', () => {
    const rng = mulberry32(11);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const { title, body } = newProblemText(rng, 'hiring', { avoid: seen });
      seen.add(title).add(body);
    }
    expect(seen.size).toBe(120);
  });
});
