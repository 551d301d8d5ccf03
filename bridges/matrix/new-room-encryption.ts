// Rooms the bot creates (direct chats, introductions) are encrypted when encryption is on and
// every member it invites has a client that publishes device keys; otherwise they stay in clear,
// so a member on a client without encryption can still read them.
import type { BridgeCrypto } from './encryption.js';
import { MEGOLM } from './encryption.js';

type InitialState = { type: string; state_key: string; content: Record<string, unknown> }[];

/** The createRoom initial_state that turns encryption on, or none. */
export async function encryptionStateFor(crypto: BridgeCrypto | undefined, invitees: readonly string[]): Promise<{ initial_state?: InitialState }> {
  if (!crypto || !(await crypto.keysPublishedBy(invitees))) return {};
  return { initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: MEGOLM } }] };
}
