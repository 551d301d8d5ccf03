/**
 * Network shape: reciprocity, density and clustering of the interaction graph.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Reciprocity: among directed pairs A -> B with at least one interaction in the period, the
 *   share whose reverse B -> A is present too. Density: undirected pairs with an interaction in
 *   the period / n(n-1)/2, n = active members (members with at least one interaction in the
 *   period); members without interactions do not enter the graph. Average clustering: the mean
 *   over active members of the local coefficient (links among a member's neighbours / possible
 *   links among them); members with fewer than two neighbours count as 0 (the networkx
 *   convention). The graph is that period's interactions, mediated or not.
 */
import type { MemberId } from '../types.js';
import { cleanInteractions } from './interactions.js';
import { directedId } from './pair-keys.js';
import { ratio, type InteractionRecord } from './records.js';
import { inPeriod, type Period } from './weeks.js';

export interface NetworkMetrics {
  /** Members with at least one interaction in the period. */
  activeMembers: number;
  /** Ordered pairs A -> B with at least one interaction. */
  directedPairs: number;
  /** Ordered pairs whose reverse is present too. */
  reciprocatedPairs: number;
  reciprocity: number | null;
  /** Unordered pairs with at least one interaction. */
  linkedPairs: number;
  /** activeMembers choose 2. */
  possiblePairs: number;
  density: number | null;
  /** Average local clustering coefficient (undirected); null with no active members. */
  clustering: number | null;
}

/** Reciprocity, density and clustering of the interaction graph in the period (all history without one). */
export function networkMetrics(interactions: readonly InteractionRecord[], period?: Period): NetworkMetrics {
  const directed = new Set<number | string>();
  const directedPairs: [MemberId, MemberId][] = [];
  const neighbours = new Map<MemberId, Set<MemberId>>();
  const link = (x: MemberId, y: MemberId): void => {
    const set = neighbours.get(x) ?? new Set<MemberId>();
    set.add(y);
    neighbours.set(x, set);
  };
  for (const i of cleanInteractions(interactions)) {
    if (period && !inPeriod(i.occurredAt, period)) continue;
    const key = directedId(i.fromMemberId, i.toMemberId);
    if (!directed.has(key)) {
      directed.add(key);
      directedPairs.push([i.fromMemberId, i.toMemberId]);
    }
    link(i.fromMemberId, i.toMemberId);
    link(i.toMemberId, i.fromMemberId);
  }
  let reciprocated = 0;
  for (const [from, to] of directedPairs) if (directed.has(directedId(to, from))) reciprocated += 1;
  const n = neighbours.size;
  let degreeSum = 0;
  let coefficientSum = 0;
  for (const [, ns] of neighbours) {
    degreeSum += ns.size;
    const k = ns.size;
    if (k < 2) continue;
    const list = [...ns];
    let links = 0;
    for (let x = 0; x < list.length; x++) {
      const nx = neighbours.get(list[x]!);
      for (let y = x + 1; y < list.length; y++) if (nx?.has(list[y]!)) links += 1;
    }
    coefficientSum += links / ((k * (k - 1)) / 2);
  }
  const linkedPairs = degreeSum / 2;
  const possiblePairs = n < 2 ? 0 : (n * (n - 1)) / 2;
  return {
    activeMembers: n,
    directedPairs: directed.size,
    reciprocatedPairs: reciprocated,
    reciprocity: ratio(reciprocated, directed.size),
    linkedPairs,
    possiblePairs,
    density: ratio(linkedPairs, possiblePairs),
    clustering: n > 0 ? coefficientSum / n : null,
  };
}

export const reciprocity = (interactions: readonly InteractionRecord[], period?: Period): number | null => networkMetrics(interactions, period).reciprocity;
export const networkDensity = (interactions: readonly InteractionRecord[], period?: Period): number | null => networkMetrics(interactions, period).density;
export const averageClustering = (interactions: readonly InteractionRecord[], period?: Period): number | null =>
  networkMetrics(interactions, period).clustering;
