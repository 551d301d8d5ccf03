// Private messages go where they can be delivered: a workflow addresses a member on the platform
// of the conversation at hand, and a platform whose profile says it has no direct messages
// (capabilities.directMessages) cannot take one. Such a message goes to the member's account on
// the first registered platform that can, or is dropped, logged, when the member has none.
import type { Logger } from '../logging.js';
import { platformProfile, registeredPlatforms } from '../platforms.js';
import type { Store } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import { accountOn } from './context.js';

const canMessage = (platform: string): boolean => platformProfile(platform).capabilities.directMessages;

/** `actions` with each private message readdressed to a platform that has direct messages. */
export async function routeDirectMessages(actions: readonly KeyedAction[], store: Store, logger: Logger): Promise<KeyedAction[]> {
  if (actions.every(({ action }) => action.kind !== 'direct' || canMessage(action.platform))) return [...actions];
  const routed: KeyedAction[] = [];
  for (const keyed of actions) {
    const { action } = keyed;
    if (action.kind !== 'direct' || canMessage(action.platform)) {
      routed.push(keyed);
      continue;
    }
    const member = await store.members.findByIdentity(action.to);
    const to = member
      ? registeredPlatforms()
          .filter((p) => p.capabilities.directMessages)
          .map((p) => accountOn(member, p.id))
          .find((account) => account !== null)
      : undefined;
    if (!to) {
      logger.warn(
        { key: keyed.key, platform: action.platform },
        'a private message was not sent: the member has no account on a platform with direct messages',
      );
      continue;
    }
    // A link offer answers by reaction on the platform it was sent on: it goes as it is, without its id.
    const { linkOfferId: _offer, ...rest } = action;
    routed.push({ ...keyed, action: { ...rest, platform: to.platform, to } });
  }
  return routed;
}
