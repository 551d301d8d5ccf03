// Categories as configured (an id, a slug, or "parent/child") resolved against the forum's
// /site.json, which lists every category flat, subcategories included, with parent_category_id
// (/categories.json nests subcategories and pages, so a subcategory is easy to miss there).
import type { Site } from './api/index.js';

export interface ForumCategory {
  id: number;
  name: string;
  slug: string;
  /** "parent/child" for a subcategory, else the slug. */
  path: string;
  parentId: number | null;
  /** The bot may open topics here (site.json `permission` 1). */
  canCreateTopic: boolean;
  uncategorized: boolean;
}

export function categoriesOf(site: Site): ForumCategory[] {
  const raw = site.categories ?? [];
  const slugOf = new Map(raw.map((c) => [c.id, c.slug]));
  return raw.map((c) => {
    const parentId = typeof c.parent_category_id === 'number' ? c.parent_category_id : null;
    return {
      id: c.id,
      name: c.name,
      slug: c.slug,
      parentId,
      path: parentId !== null && slugOf.has(parentId) ? `${slugOf.get(parentId)}/${c.slug}` : c.slug,
      canCreateTopic: c.permission === 1,
      uncategorized: c.id === site.uncategorized_category_id,
    };
  });
}

export type Lookup = { found: ForumCategory } | { ambiguous: ForumCategory[] } | { missing: true };

/** A configured category: by id, by "parent/child", or by slug when only one category has it. */
export function findCategory(all: readonly ForumCategory[], wanted: string | number): Lookup {
  const text = String(wanted).trim().toLowerCase();
  const byId = /^\d+$/.test(text) ? all.find((c) => c.id === Number(text)) : undefined;
  if (byId) return { found: byId };
  const byPath = all.find((c) => c.path.toLowerCase() === text);
  if (byPath) return { found: byPath };
  const bySlug = all.filter((c) => c.slug.toLowerCase() === text);
  if (bySlug.length === 1) return { found: bySlug[0]! };
  return bySlug.length > 1 ? { ambiguous: bySlug } : { missing: true };
}

/** What to say about a category that was not found, naming the ones that exist. */
export function describeLookup(wanted: string | number, lookup: Lookup, all: readonly ForumCategory[]): string {
  if ('ambiguous' in lookup)
    return `several categories have the slug "${wanted}" (${lookup.ambiguous.map((c) => c.path).join(', ')}): write it as parent/child`;
  const known = all.filter((c) => !c.uncategorized).map((c) => c.path);
  return `no category "${wanted}" on the forum${known.length > 0 ? ` (there are: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''})` : ''}`;
}
