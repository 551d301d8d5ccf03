// The network graph's names must be readable at 40 members and at 400: no drawn name may cover
// another, and a small community still gets most of its names. A stand-in API serves the graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkResponse } from '../../web/dashboard/api-types.js';
import { launchChromium, type Browser } from '../../scripts/support/browser/chromium.js';
import { communityAnswers } from './support/fixtures.js';
import { screenshot, visit } from './support/pages.js';
import { startStubDashboard } from './support/stub-api.js';

interface Box {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  w: number;
  h: number;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A community of `n` members with long-ish names, a few hubs and ties between neighbours. */
function network(n: number): NetworkResponse {
  const base = communityAnswers().network;
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    label: `Member number ${i + 1} Lastname`,
    activity: Math.max(1, Math.round(200 / (i + 1))),
    brokerScore: i < 3 ? 0.9 - i / 10 : 0.1,
    isolated: false,
    accounts: [{ platform: 'matrix' as const, account: `@m${i + 1}:localhost` }],
  }));
  const edges = nodes.flatMap((node, i) =>
    [1, 2, 7]
      .filter((d) => i + d < n)
      .map((d) => ({
        source: node.id,
        target: String(i + 1 + d),
        kind: (i % 2 ? 'direct' : 'concierge') as 'direct' | 'concierge',
        weight: 1 + ((i * d) % 5),
      })),
  );
  return { ...base, nodes, edges, summary: { activeMembers: n, density: 0.05, reciprocity: 0.5, clustering: 0.1 } };
}

const overlaps = (boxes: Box[]): number => {
  let count = 0;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) count++;
    }
  }
  return count;
};

describe('network graph labels', () => {
  for (const size of [40, 400]) {
    it(`draws no name over another at ${size} members`, async () => {
      const stub = await startStubDashboard({ ...communityAnswers(), network: network(size) });
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize({ width: 1280, height: 900 });
        expect(await visit(page, `${stub.url}/network`)).toBe('ready');
        const boxes = (await page.evaluate('document.querySelector(".graph").labelBoxes()')) as Box[];
        expect(overlaps(boxes)).toBe(0);
        // Readable is not empty: a fair share of names stays.
        expect(boxes.length).toBeGreaterThanOrEqual(size === 40 ? 10 : 8);
        await screenshot(page, `network-labels-${size}`);
      } finally {
        await page.close();
        await stub.close();
      }
    });
  }
});
