// Keeps the engine's view of who wrote what in line with the store after members are merged or
// split, whether in this process (a proved link) or by `npm run member` from another: routing
// then sees one helper with one record. Runs after each merge here and on every scheduled round.
import type { Engine } from '../engine/engine.js';
import type { Store } from '../store/index.js';
import type { MemberId } from '../types.js';

/** What each engine has applied: merge id -> "merged" | "split". */
const applied = new WeakMap<Engine, Map<number, string>>();

/** Re-reads the authors of the engine's documents by members whose merges changed; returns how many moved. */
export async function syncEngineAuthors(ctx: { store: Store; engine: Engine }): Promise<number> {
  const { store, engine } = ctx;
  let known = applied.get(engine);
  if (!known) applied.set(engine, (known = new Map()));
  const involved = new Set<MemberId>();
  for (const m of await store.merges.list()) {
    const state = m.splitAt ? 'split' : 'merged';
    if (known.get(m.id) === state) continue;
    known.set(m.id, state);
    involved.add(m.keptMemberId);
    involved.add(m.mergedMemberId);
  }
  if (involved.size === 0) return 0;
  // Declared interests follow the merge (combined) or the split (each member's own again).
  for (const id of involved) {
    const member = await store.members.get(id);
    await engine.setInterests(id, member && !member.optedOut ? (member.interests ?? '') : '');
  }
  const ids = [...engine.kb.docs.values()].filter((d) => d.authorId !== undefined && involved.has(d.authorId)).map((d) => d.id);
  const authors = await store.identities.documentAuthors(ids);
  let moved = 0;
  for (const id of ids) {
    const author = authors.get(id);
    if (author === undefined) continue;
    const next = author ?? undefined;
    if (engine.kb.get(id)?.authorId === next) continue;
    engine.kb.setAuthor(id, next);
    moved += 1;
  }
  return moved;
}
