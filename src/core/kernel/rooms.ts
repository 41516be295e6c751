import type { Actor, ConversationRef, Person } from './types.js';

/**
 * A private room with one person before any platform has opened it: `@<userId>`. A session that
 * starts there (a mock interview's candidate) is addressed to it; the adapter opens a DM or a
 * private thread when delivering, and its receipt moves the session to where it landed.
 */
export const directRoom = (a: Pick<Actor, 'platform' | 'workspace' | 'userId'>): ConversationRef => ({
  platform: a.platform,
  workspace: a.workspace,
  channel: `@${a.userId}`,
});

/** The person a not-yet-opened direct room belongs to; undefined for every other room. */
export const directRecipient = (c: ConversationRef): string | undefined => (c.channel.startsWith('@') ? c.channel.slice(1) : undefined);

export const personOf = (a: Pick<Actor, 'userId' | 'displayName'>): Person => ({ userId: a.userId, displayName: a.displayName });
