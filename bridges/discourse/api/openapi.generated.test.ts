import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DISCOURSE_TYPES_FILE, renderDiscourseTypes } from '../../../scripts/generate-discourse-types.js';

describe('bridges/discourse/api/openapi.generated.ts', () => {
  it('is exactly what `npm run discourse:types` generates from the spec', async () => {
    // If this fails: run `npm run discourse:types` (tsx scripts/generate-discourse-types.ts) and commit the result.
    const expected = await renderDiscourseTypes();
    const committed = readFileSync(DISCOURSE_TYPES_FILE, 'utf8');
    expect(committed === expected, 'openapi.generated.ts is stale or edited by hand').toBe(true);
  });

  it('says it is generated and how to regenerate it', async () => {
    const header = (await renderDiscourseTypes()).slice(0, 400);
    expect(header).toMatch(/GENERATED FILE, do not edit by hand/);
    expect(header).toContain('npm run discourse:types');
    expect(header).toContain('export interface paths');
  });
});
