import type { Actor, ConversationRef, Platform } from './types.js';

/** Someone on a platform, as the platform names them. */
export type PlatformPerson = Pick<Actor, 'platform' | 'workspace' | 'userId'>;

/**
 * What adapters must remember about their platform across restarts and across processes: which
 * events were already handled, who a thread the bot opened belongs to, and what people are
 * called. Kept in the store (src/store/platform-state.ts) and handed to adapters by the
 * composition root, so no adapter holds this in process memory or reaches into the database.
 */
export interface PlatformState {
  /**
   * Records an event id and says whether it had been seen already: platforms deliver at least
   * once (Slack retries a slow ack), and a redelivered answer must not be graded twice.
   */
  seenEvent(platform: Platform, eventId: string): Promise<boolean>;

  /** Whose thread this is (the platform's user id), if the bot opened it for someone. */
  threadOwner(conversation: ConversationRef & { thread: string }): Promise<string | undefined>;
  /** Records who a thread the bot opened belongs to; the latest call wins. */
  setThreadOwner(conversation: ConversationRef & { thread: string }, ownerId: string): Promise<void>;

  /** The name the platform last showed for this person, for events that arrive without one. */
  displayName(person: PlatformPerson): Promise<string | undefined>;
  rememberDisplayName(person: PlatformPerson & { displayName: string }): Promise<void>;
}
