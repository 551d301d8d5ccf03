// The figures worker: computes the answers of figures.ts on a thread of its own, with its own
// read-only connection, so a recompute over 100k interactions (a few hundred ms) never holds
// up the service's event loop (webhooks, bridges, other dashboard requests). It keeps its own
// snapshot, cached against the store's fingerprint like the main thread's answers.
import { parentPort, workerData } from 'node:worker_threads';
import { registerBuiltInPlatforms } from '../../../bridges/profiles.js';
import { openDashboardReader, type DashboardQueries } from '../../../core/store/index.js';
import { dashboardData } from './data.js';
import { figureJson, type FigureView } from './figures.js';
import { ViewCache } from './view-cache.js';

export interface FiguresWorkerInit {
  databasePath: string;
}
export interface FigureRequest {
  id: number;
  view: FigureView;
}
export type FigureReply = { id: number; json: string } | { id: number; error: string };

// A thread of its own has its own module state: the platforms are registered here too.
registerBuiltInPlatforms();
const { databasePath } = workerData as FiguresWorkerInit;
const reader = openDashboardReader(databasePath);
// Every request comes after the main thread found its cached answer out of date: the
// fingerprint is read once per request (a few ms, off the loop) so the snapshot is never stale.
// The snapshot loader and the people ask for the parts again: they get the ones read at the
// start of the request (27 small queries, read once rather than three times).
let parts = reader.queries.fingerprints();
const readParts = (): void => {
  parts = reader.queries.fingerprints();
};
const queries: DashboardQueries = { ...reader.queries, fingerprints: () => parts, fingerprint: () => Object.values(parts).join('|') };
const cache = new ViewCache({ fingerprint: () => queries.fingerprint(), fingerprintTtlMs: 0 });
const data = dashboardData({ queries, cache, now: () => new Date() });

parentPort!.on('message', (request: FigureRequest) => {
  let reply: FigureReply;
  try {
    readParts();
    reply = { id: request.id, json: figureJson(queries, data, request.view) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
// Warmed at once: the first full read of the interactions (~0.5 s at 100k) happens here, at
// start-up, not in the first manager's request. A request that arrives meanwhile waits for it.
try {
  data.snapshot();
  data.people();
} catch {
  // An empty or still-migrating store: the first request reads it again and reports any error.
}
