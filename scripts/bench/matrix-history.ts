// The 10,000-document community history the whole-service benchmarks (bench:matrix,
// bench:startup) start from: the startups-se questions and answers, the SemEval questions, and
// answer paragraphs as chat messages; the last `heldOut` startups-se questions are kept out (to
// be asked). Seeding puts them in the store with their authors and fills the store's embedding
// cache, as a running service would have it.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../bridges/config.js';
import type { EmbeddingCache } from '../../core/embedding/cache.js';
import type { Embedder } from '../../core/embedding/embedder.js';
import { FileEmbeddingCache } from '../../core/embedding/file-cache.js';
import { TextEmbedder } from '../../core/embedding/text-embedder.js';
import { EmbedderPool } from '../../core/embedding/worker-pool.js';
import { documentText } from '../../core/engine/engine.js';
import { storeEmbeddingCache } from '../../core/engine/engine-service.js';
import { createLogger } from '../../core/logging.js';
import { mulberry32 } from '../../core/random.js';
import { openStore, type DocumentInput } from '../../core/store/index.js';
import { cleanText } from '../../core/text/clean.js';
import { memberId } from '../../core/types.js';
import { chronological, loadDataset, type QaQuestion } from '../eval/datasets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = path.resolve(ROOT, '../shared/datasets');
export const DOCUMENTS = 10_000;

export interface History {
  docs: Omit<DocumentInput, 'authorId'>[];
  authors: (string | null)[];
  /** The held-out questions, oldest first. */
  probes: QaQuestion[];
}

export function corpus(heldOut: number): History {
  const startups = loadDataset(path.join(SHARED, 'startups-se/questions.jsonl'));
  const semeval = loadDataset(path.join(SHARED, 'semeval2016-qatarliving/questions.jsonl'));
  if (startups.kind !== 'qa' || semeval.kind !== 'ranking') throw new Error('unexpected dataset formats');
  const ordered = chronological(startups.questions);
  const probes = ordered.slice(-heldOut);
  const kept = ordered.slice(0, -heldOut);
  const docs: Omit<DocumentInput, 'authorId'>[] = [];
  const authors: (string | null)[] = [];
  const add = (d: Omit<DocumentInput, 'authorId'>, author: string | null) => {
    if (docs.length < DOCUMENTS) {
      docs.push(d);
      authors.push(author);
    }
  };
  for (const q of kept) {
    const thread = `se-${q.id}`;
    add(
      {
        platform: 'discourse',
        externalId: thread,
        threadId: thread,
        kind: 'question',
        title: q.title,
        text: cleanText(q.body, 'auto'),
        url: q.url ?? null,
        createdAt: new Date(q.date),
        tags: q.tags,
      },
      q.asker.id,
    );
    for (const a of q.answers) {
      add(
        {
          platform: 'discourse',
          externalId: `se-a${a.id}`,
          threadId: thread,
          kind: 'answer',
          text: cleanText(a.body, 'auto'),
          createdAt: new Date(a.date),
          score: a.score,
          accepted: a.accepted,
        },
        a.author.id,
      );
    }
  }
  for (const q of semeval.questions) {
    for (const r of q.related)
      add(
        {
          platform: 'discourse',
          externalId: `ql-${r.id}`,
          threadId: `ql-${r.id}`,
          kind: 'question',
          title: r.subject,
          text: cleanText(r.body, 'auto'),
          createdAt: new Date(r.date ?? '2015-01-01'),
        },
        null,
      );
  }
  // Pad with chat-sized messages: later paragraphs of long answers.
  for (const q of kept) {
    for (const a of q.answers) {
      const paragraphs = cleanText(a.body, 'auto')
        .split(/\n\s*\n/)
        .slice(1)
        .filter((p) => p.split(/\s+/).length >= 8);
      for (const [i, p] of paragraphs.entries())
        add(
          { platform: 'matrix', externalId: `$pad-${a.id}-${i}`, threadId: `$pad-${a.id}-${i}`, kind: 'message', text: p, createdAt: new Date(a.date) },
          a.author.id,
        );
    }
  }
  return { docs, authors, probes };
}

/** The two caches as one: reads the file cache too, and copies what it finds into the store. */
function layered(store: EmbeddingCache, file: EmbeddingCache): EmbeddingCache {
  return {
    async get(modelId, hashes) {
      const found = await store.get(modelId, hashes);
      const missing = hashes.filter((h) => !found.has(h));
      if (missing.length > 0) {
        const fromFile = await file.get(modelId, missing);
        await store.put(
          modelId,
          [...fromFile].map(([hash, vector]) => ({ hash, vector })),
        );
        for (const [h, v] of fromFile) found.set(h, v);
      }
      return found;
    },
    async put(modelId, entries) {
      await store.put(modelId, entries);
      await file.put(modelId, entries);
    },
  };
}

/** Stands in for the model where only timing matters: a unit vector seeded by the text's hash. */
function syntheticEmbedder(real: Embedder): Embedder & { made: number } {
  const out = {
    modelId: real.modelId,
    dims: real.dims,
    backend: 'synthetic',
    made: 0,
    embedBatch: (texts: readonly string[]) =>
      Promise.resolve(
        texts.map((t) => {
          out.made++;
          const random = mulberry32(createHash('sha1').update(t).digest().readUInt32LE(0));
          const v = Float32Array.from({ length: real.dims }, () => random() - 0.5);
          const norm = Math.hypot(...v);
          return v.map((x) => x / norm);
        }),
      ),
    close: () => Promise.resolve(),
  };
  return out;
}

/**
 * Puts the history in the store at `config.database.path` and fills its embedding cache from
 * .cache/embeddings where it can; texts not there are embedded, or with `synthetic` given
 * seeded random vectors (for benchmarks of start-up, which never look at what vectors mean).
 * Returns how many text chunks got synthetic vectors.
 */
export async function seedHistory(config: Config, history: History, say: (line: string) => void, options: { synthetic?: boolean } = {}): Promise<number> {
  const { docs, authors } = history;
  const logger = createLogger({ level: 'warn' });
  const store = await openStore({ path: config.database.url ?? config.database.path, logger });
  try {
    const members = new Map<string, number>();
    for (const a of new Set(authors)) {
      if (a === null || a === '-1') continue;
      const { member } = await store.members.upsertByIdentity({ platform: 'matrix', externalId: `@se-${a}:localhost`, displayName: `Member ${a}` });
      members.set(a, member.id);
    }
    await store.documents.upsertMany(
      docs.map((d, i) => ({ ...d, authorId: authors[i] && members.has(authors[i]!) ? memberId(members.get(authors[i]!)!) : null })),
    );
    const pool = await EmbedderPool.load({ workers: 2 });
    try {
      const fake = options.synthetic ? syntheticEmbedder(pool) : undefined;
      const file = new FileEmbeddingCache(path.join(ROOT, '.cache/embeddings'));
      // Synthetic vectors never go to the file cache: it is read, and only the store written.
      const readOnlyFile: EmbeddingCache = { get: (m, h) => file.get(m, h), put: () => Promise.resolve() };
      const embedder = new TextEmbedder(fake ?? pool, { cache: layered(storeEmbeddingCache(store), fake ? readOnlyFile : file) });
      let last = 0;
      await embedder.embedMany(
        docs.map((d) => documentText({ title: d.title ?? undefined, text: d.text })),
        {
          onProgress: (done, total) => {
            if (Date.now() - last > 5000 || done === total) {
              last = Date.now();
              say(`  vectors ${done}/${total}`);
            }
          },
        },
      );
      return fake?.made ?? 0;
    } finally {
      await pool.close();
    }
  } finally {
    await store.close();
  }
}
