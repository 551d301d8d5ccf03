// Worker thread that tokenizes documents for the BM25 index while the main thread indexes their
// vectors (start-up at a million documents spent over half of its indexing time tokenizing).
// Each request is a window of texts; the reply gives each text's tokens as this worker's own
// term ids, and the terms it met for the first time in that window, in id order.
import { parentPort } from 'node:worker_threads';
import { tokenize } from '../text/tokenize.js';

export interface TermRequest {
  seq: number;
  texts: string[];
}

export interface TermReply {
  seq: number;
  /** Tokens per text. */
  lengths: Int32Array;
  /** Every text's tokens in order, as the worker's term ids. */
  termIds: Int32Array;
  /** Terms the worker met for the first time in this request: ids size-before.. in order. */
  newTerms: string[];
}

const port = parentPort;
if (!port) throw new Error('term-worker.ts runs as a worker thread');
const ids = new Map<string, number>();

port.on('message', (request: TermRequest) => {
  const newTerms: string[] = [];
  const lists = request.texts.map((text) => tokenize(text));
  let total = 0;
  for (const list of lists) total += list.length;
  const lengths = new Int32Array(lists.length);
  const termIds = new Int32Array(total);
  let at = 0;
  for (const [i, list] of lists.entries()) {
    lengths[i] = list.length;
    for (const term of list) {
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
        newTerms.push(term);
      }
      termIds[at++] = id;
    }
  }
  const reply: TermReply = { seq: request.seq, lengths, termIds, newTerms };
  port.postMessage(reply, [lengths.buffer, termIds.buffer]);
});
