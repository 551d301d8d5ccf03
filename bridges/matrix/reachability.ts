// Readiness for Matrix: does the homeserver answer? Asked outside the sync loop (which retries on
// its own) with a short timeout, and remembered for a few seconds so frequent probes from an
// orchestrator do not become load on the homeserver.
const CACHE_MS = 5000;
const TIMEOUT_MS = 2000;

/** Returns a check that resolves to why the homeserver is not usable, or undefined. */
export function homeserverReachability(homeserverUrl: string): () => Promise<string | undefined> {
  const url = new URL('/_matrix/client/versions', homeserverUrl).href;
  let last: { at: number; problem: string | undefined } | undefined;
  return async () => {
    if (last && Date.now() - last.at < CACHE_MS && Date.now() >= last.at) return last.problem;
    let problem: string | undefined;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      await response.body?.cancel();
      if (!response.ok) problem = `homeserver answered HTTP ${response.status} to /versions`;
    } catch (error) {
      problem = `homeserver unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    last = { at: Date.now(), problem };
    return problem;
  };
}
