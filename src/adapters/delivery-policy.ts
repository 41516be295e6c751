/**
 * The delivery rules every platform follows, written once. Adapters know what their platform
 * can do here and now; this decides what to do with it.
 */
import { sameConversation, type Actor, type Reply } from '../core/kernel/types.js';

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

/** What may follow a scorecard in the same message: the next thing the person is asked or told. */
const JOINS_A_SCORECARD = new Set<Reply['role']>(['probe', 'question', 'summary']);

/**
 * A scorecard and the reply right after it, both bound for a room only the scorecard's person
 * reads (their DM, their private thread), go as one message: one platform call instead of two
 * per answer, and nothing private shown to anyone else. In a shared room (a channel thread) the
 * scorecard stays a message of its own that only they see.
 */
export async function joinScorecards(replies: Reply[], theirs: (reply: Reply, userId: string) => Promise<boolean> | boolean): Promise<Reply[]> {
  const joined: Reply[] = [];
  for (let i = 0; i < replies.length; i++) {
    const card = replies[i]!;
    const next = replies[i + 1];
    const owner = onlyForOf(card);
    const plain = (r: Reply) => !r.opens && !r.form && !r.attachments?.length;
    if (owner && next && card.role === 'scorecard' && next.visibility === 'public' && JOINS_A_SCORECARD.has(next.role) &&
        plain(card) && plain(next) && sameConversation(card.to, next.to) && (await theirs(card, owner.userId))) {
      joined.push({
        ...next,
        text: card.text,
        sections: [...(card.sections ?? []), { body: next.text }, ...(next.sections ?? [])],
        actions: [...(next.actions ?? []), ...(card.actions ?? [])],
      });
      i++;
      continue;
    }
    joined.push(card);
  }
  return joined;
}
