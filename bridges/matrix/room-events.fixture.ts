// Room events for the bridge's unit tests (gap.test.ts, backfill.test.ts): numbered messages
// and the bot's own membership events, with or without a previous membership.
export const BOT = '@coagent:example.org';
export type Json = Record<string, unknown>;

export const msg = (i: number): Json => ({
  type: 'm.room.message',
  event_id: `$m${i}`,
  sender: '@alice:example.org',
  content: { msgtype: 'm.text', body: `message ${i}` },
});

export const member = (id: string, prev?: string): Json => ({
  type: 'm.room.member',
  event_id: id,
  sender: BOT,
  state_key: BOT,
  content: { membership: 'join', displayname: 'Co-Agent' },
  ...(prev ? { unsigned: { prev_content: { membership: prev } } } : {}),
});
