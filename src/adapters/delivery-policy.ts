/**
 * The delivery rules every platform follows, written once. Adapters know what their platform
 * can do here and now; this decides what to do with it.
 */
import type { Actor, Reply } from '../core/kernel/types.js';

/** How a reply meant for one person travels. */
export type PrivateRoute = 'room' | 'ephemeral' | 'dm';

/**
 * A reply for one person goes into a room only they read (their DM, their private thread);
 * else as a message only they see, where the platform reliably shows it to them (Slack's
 * ephemeral messages in a channel, Discord's through their own interaction); else to their DMs,
 * which always reach them.
 */
export function privateRoute(where: { roomIsTheirs: boolean; ephemeralReaches: boolean }): PrivateRoute {
  if (where.roomIsTheirs) return 'room';
  return where.ephemeralReaches ? 'ephemeral' : 'dm';
}

export const onlyForOf = (reply: Reply): Actor | undefined => (reply.visibility === 'public' ? undefined : reply.visibility.onlyFor);
