/**
 * Nothing the bot sends may ping anyone: not @everyone, not a role, not a user quoted in an answer.
 * In a module of its own because both delivery (send.ts) and room opening (threads.ts) post
 * messages; send.ts depends on threads.ts, so the constant cannot live in either without a cycle.
 */
export const NO_MENTIONS = { parse: [] as [] };
