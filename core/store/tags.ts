// The community's tag vocabulary (names shared by Discourse tags and engine suggestions).
import { tagId } from '../types.js';
import type { StoreContext } from './context.js';
import type { Tag } from './types.js';

export interface TagRepository {
  /** Creates the tag or updates its description; an omitted description is left unchanged. */
  upsert(name: string, description?: string | null): Promise<Tag>;
  /** All tags by name, with how many documents carry each. */
  list(): Promise<Tag[]>;
}

export function tagRepository(ctx: StoreContext): TagRepository {
  const { prisma } = ctx;
  const withCount = { _count: { select: { documents: true } } } as const;
  const toTag = (row: { id: number; name: string; description: string | null; _count: { documents: number } }): Tag => ({
    id: tagId(row.id),
    name: row.name,
    description: row.description,
    documentCount: row._count.documents,
  });

  return {
    upsert: (rawName, description) => ctx.write(async () => {
      const name = rawName.trim();
      if (name === '') throw new RangeError('a tag needs a name');
      const row = await prisma.tag.upsert({
        where: { name },
        create: { name, description: description ?? null },
        update: description === undefined ? {} : { description },
        include: withCount,
      });
      return toTag(row);
    }),
    list: async () => (await prisma.tag.findMany({ orderBy: { name: 'asc' }, include: withCount })).map(toTag),
  };
}
