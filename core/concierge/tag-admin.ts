// What an admin may do with the tag vocabulary, the same from a chat command and from the
// console: approve or reject a proposed tag, rename a tag, merge one into another. Each change is
// made in the store, then the engine takes the new set at once (no restart), so the next reply
// and the dashboard use it.
import type { ActorRef } from '../inbound.js';
import { platformProfile } from '../platforms.js';
import type { Tag } from '../store/index.js';
import type { ConciergeContext } from './context.js';

export type TagChange = { kind: 'approve' | 'reject'; tag: string } | { kind: 'rename' | 'merge'; tag: string; to: string };

/** Tag names are short words: the config allows 50 characters; a little more for what staff type. */
export const MAX_TAG_NAME_CHARS = 50;

/** A change that cannot be made, with why, in words for the person who asked. */
export class TagRefusal extends Error {}

/** True when the account is one the configuration names as an admin (concierge.admins). */
export function isAdmin(ctx: ConciergeContext, actor: ActorRef): boolean {
  // Compared in the platform's own way: Matrix ids exactly, forum usernames in any case, "@" or not.
  const { normalize } = platformProfile(actor.platform);
  const id = normalize(actor.externalId);
  return (ctx.settings.admins ?? []).some((a) => normalize(a) === id);
}

/** Makes the change and reloads the engine's tags; returns what was done, in a sentence. */
export async function changeTags(ctx: ConciergeContext, change: TagChange): Promise<string> {
  const { store } = ctx;
  const name = change.tag.trim();
  const tag = (await store.tags.get(name)) ?? refuse(`There is no tag "${name}".${await proposalsHint(ctx)}`);
  let message: string;
  let renamed = new Map<string, string>();
  switch (change.kind) {
    case 'approve':
      if (tag.status === 'active') return `"${tag.name}" is in use already.`;
      await store.tags.setStatus(tag.name, 'active');
      message = `Approved: requests are tagged "${tag.name}" from now on.`;
      break;
    case 'reject':
      if (tag.status === 'rejected') return `"${tag.name}" was rejected already.`;
      if (tag.status === 'active') refuse(`"${tag.name}" is in use; merge it into another tag instead of rejecting it.`);
      await store.tags.setStatus(tag.name, 'rejected');
      message = `Rejected: I will not propose "${tag.name}" again.`;
      break;
    case 'rename': {
      const to = checkName(change.to);
      if (to === tag.name) return `"${tag.name}" has that name already.`;
      if (await store.tags.get(to)) refuse(`A tag "${to}" exists already; merge "${tag.name}" into it instead.`);
      await store.tags.rename(tag.name, to);
      renamed = new Map([[tag.name, to]]);
      message = `Renamed "${tag.name}" to "${to}".`;
      break;
    }
    case 'merge': {
      const into = (await store.tags.get(change.to.trim())) ?? refuse(`There is no tag "${change.to.trim()}" to merge into.`);
      if (into.id === tag.id) refuse('Choose two different tags to merge.');
      if (into.status !== 'active') refuse(`"${into.name}" is ${into.status}; approve it first, or merge into a tag in use.`);
      const merged = await store.tags.merge(tag.name, into.name);
      renamed = new Map([[tag.name, into.name]]);
      message = `Merged "${tag.name}" into "${into.name}" (${merged.problemCount} request${merged.problemCount === 1 ? '' : 's'} and ${merged.documentCount} message${merged.documentCount === 1 ? '' : 's'} now carry "${into.name}").`;
      break;
    }
  }
  await reloadEngineTags(ctx, renamed);
  return message;
}

/** Gives the engine the store's active tags (after any change, and only those). */
export async function reloadEngineTags(ctx: ConciergeContext, renamed: ReadonlyMap<string, string> = new Map()): Promise<void> {
  const active = await ctx.store.tags.list('active');
  await ctx.engine.redefineTags(
    active.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) })),
    renamed,
  );
}

/** The proposals waiting for an admin, one line each. */
export function describeProposals(proposed: readonly Tag[]): string[] {
  return proposed.map((t) => `${t.name}: ${t.description ?? '(no description)'}`);
}

async function proposalsHint(ctx: ConciergeContext): Promise<string> {
  const waiting = await ctx.store.tags.list('proposed');
  return waiting.length > 0 ? ` Proposed: ${waiting.map((t) => t.name).join(', ')}.` : '';
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '') refuse('Say the new name.');
  if (name.length > MAX_TAG_NAME_CHARS) refuse(`A tag name has at most ${MAX_TAG_NAME_CHARS} characters.`);
  return name;
}

const refuse = (message: string): never => {
  throw new TagRefusal(message);
};
