// E-mail matching: only with identity.matchByEmail on and a platform that gives e-mails (a forum
// admin key); only a hash is kept; off (the default) reads nothing and forgets what was kept.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { emailHash, type EmailDirectory } from '../../../core/identity/emails.js';
import type { ActorRef } from '../../../core/inbound.js';
import { err, ok, type Platform } from '../../../core/types.js';
import { createWorld, message, NOW, type World } from '../concierge/fixture.js';

// Nothing in their names or usernames says these two are one person; their e-mails do.
const MAT: ActorRef = { platform: 'matrix', externalId: '@kp:example.org', displayName: 'K.P.' };
const FORUM: ActorRef = { platform: 'discourse', externalId: 'wanderer', displayName: 'Wanderer' };

/** A directory the test controls; it records every account it was asked about. */
function directory(platform: Platform, emails: Record<string, string>, refuse = false): EmailDirectory & { asked: string[] } {
  const asked: string[] = [];
  return {
    platform,
    asked,
    emailOf: async (id) => {
      asked.push(id);
      return refuse ? err({ message: 'forbidden', permanent: true }) : ok(emails[id] ?? null);
    },
  };
}

describe('matching by e-mail', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
    for (const a of [MAT, MAT, FORUM]) await w.receive(message(a, `hello from ${a.externalId}`));
  });
  afterEach(async () => w.done());

  const hashes = () => {
    const db = new Database(w.store.path, { readonly: true });
    try {
      return db.prepare('SELECT "externalId", "emailHash" FROM "Identity" WHERE "emailHash" IS NOT NULL ORDER BY "externalId"').all() as {
        externalId: string;
        emailHash: string;
      }[];
    } finally {
      db.close();
    }
  };

  it('is off by default: no platform is asked and no pair is found', async () => {
    const forum = directory('discourse', { wanderer: 'KP@Example.org' });
    w.ctx.emailDirectories = [forum];
    await w.concierge.tick(NOW);
    expect(forum.asked).toEqual([]);
    expect(w.actions.filter((a) => a.key.includes('link-offer'))).toEqual([]);
  });

  it('keeps only a hash, finds the pair by it, and forgets every hash when switched off', async () => {
    w.ctx.settings.identity = { matchByEmail: true };
    const forum = directory('discourse', { wanderer: ' KP@Example.org ' });
    const matrix = directory('matrix', { '@kp:example.org': 'kp@example.org' });
    w.ctx.emailDirectories = [forum, matrix];
    await w.concierge.tick(NOW);
    expect(forum.asked).toEqual(['wanderer']);
    expect(hashes()).toEqual([
      { externalId: '@kp:example.org', emailHash: emailHash('kp@example.org') },
      { externalId: 'wanderer', emailHash: emailHash('kp@example.org') },
    ]);
    // No address is stored, only the hash.
    const db = new Database(w.store.path, { readonly: true });
    const rows = JSON.stringify(db.prepare('SELECT * FROM "Identity"').all()).toLowerCase();
    db.close();
    expect(rows).not.toContain('kp@example.org');
    const offer = w.actions.find((a) => a.key.includes('link-offer'))!.action as DirectAction;
    expect(plainText(offer.body)).toContain('It has the same e-mail address.');
    // Each account is asked once.
    await w.concierge.tick(new Date(NOW.getTime() + 60_000));
    expect(forum.asked).toEqual(['wanderer']);

    w.ctx.settings.identity = { matchByEmail: false };
    await w.concierge.tick(new Date(NOW.getTime() + 120_000));
    expect(hashes()).toEqual([]);
  });

  it('stops asking a platform that refuses (no admin key)', async () => {
    w.ctx.settings.identity = { matchByEmail: true };
    const forum = directory('discourse', {}, true);
    w.ctx.emailDirectories = [forum];
    await w.concierge.tick(NOW);
    await w.concierge.tick(new Date(NOW.getTime() + 60_000));
    expect(forum.asked).toEqual(['wanderer']);
    expect(hashes()).toEqual([]);
  });
});
