// The bot's own join of a room (not a profile change, which is also a "join" member event):
// the line between a room's history from before the bot was there and what it must answer.
type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export function isOwnJoin(e: Json, userId: string): boolean {
  if (e['type'] !== 'm.room.member' || e['state_key'] !== userId) return false;
  if (obj(e['content'])['membership'] !== 'join') return false;
  return obj(obj(e['unsigned'])['prev_content'])['membership'] !== 'join';
}
