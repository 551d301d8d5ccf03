// Bounded selection of the best k (score, id) pairs: a min-heap whose root is the worst kept
// pair, so each new pair costs one comparison unless it beats the root. Flat typed arrays, no
// per-item objects until the final result.
import type { Hit } from './hit.js';

/** True when (scoreA, idA) ranks below (scoreB, idB): lower score, or same score and larger id. */
function worse(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && idA > idB);
}

export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Float64Array;
  private count = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.ids = new Float64Array(k);
  }

  /** Offers one pair; keeps it if fewer than k are held or it beats the worst one held. */
  push(score: number, id: number): void {
    const scores = this.scores;
    const ids = this.ids;
    if (this.count < this.k) {
      // Sift up from the new leaf.
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, id, scores[parent]!, ids[parent]!)) break;
        scores[i] = scores[parent]!;
        ids[i] = ids[parent]!;
        i = parent;
      }
      scores[i] = score;
      ids[i] = id;
      return;
    }
    if (this.k === 0 || !worse(scores[0]!, ids[0]!, score, id)) return;
    // Replace the root and sift down.
    const n = this.count;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let child = left;
      const right = left + 1;
      if (right < n && worse(scores[right]!, ids[right]!, scores[left]!, ids[left]!)) child = right;
      if (!worse(scores[child]!, ids[child]!, score, id)) break;
      scores[i] = scores[child]!;
      ids[i] = ids[child]!;
      i = child;
    }
    scores[i] = score;
    ids[i] = id;
  }

  /** The kept pairs, best first (higher score, then smaller id). */
  result(): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < this.count; i++) hits.push({ id: this.ids[i]!, score: this.scores[i]! });
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return hits;
  }
}
