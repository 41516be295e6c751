import type { Actor, ConversationRef, Reply } from './types.js';

/** A reply only `actor` sees, in `to` (an ephemeral message, a DM or a line in the terminal): by default a notice. */
export function privateReply(to: ConversationRef, actor: Actor, text: string, extra: Partial<Reply> = {}): Reply {
  return { to, visibility: { onlyFor: actor }, role: 'info', text, ...extra };
}
