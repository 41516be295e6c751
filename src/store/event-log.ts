import type { Db } from './db.js';

/** Slack retries for about an hour; a day of ids is plenty and keeps the table small. */
const KEEP_EVENTS_MS = 24 * 60 * 60 * 1000;

export type ThreadRef = { platform: string; workspace: string; channel: string; thread: string };

export interface EventLog {
  /** True the first time an event id is seen on a platform; false for every redelivery. */
  firstDelivery(platform: string, eventId: string, now?: number): boolean;
  /** Records that a session's thread was opened for this user. */
  rememberThread(ref: ThreadRef, userId: string, now?: number): void;
  /** Whose session thread this is, if the bot opened it. */
  threadOwner(ref: ThreadRef): string | undefined;
}

export function createEventLog(db: Db): EventLog {
  const q = {
    insert: db.prepare(`INSERT OR IGNORE INTO platform_events (platform, event_id, received_at) VALUES (?, ?, ?)`),
    prune: db.prepare(`DELETE FROM platform_events WHERE received_at < ?`),
    thread: db.prepare(
      `INSERT INTO platform_threads (platform, workspace, channel, thread, user_id, opened_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET user_id = excluded.user_id, opened_at = excluded.opened_at`,
    ),
    owner: db.prepare(`SELECT user_id FROM platform_threads WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ?`),
  };
  let inserts = 0;
  return {
    firstDelivery(platform, eventId, now = Date.now()) {
      const fresh = q.insert.run(platform, eventId, now).changes === 1;
      // Pruning on every insert would be wasted work; every few hundred keeps the table bounded.
      if (fresh && ++inserts % 500 === 0) q.prune.run(now - KEEP_EVENTS_MS);
      return fresh;
    },
    rememberThread(ref, userId, now = Date.now()) {
      q.thread.run(ref.platform, ref.workspace, ref.channel, ref.thread, userId, now);
    },
    threadOwner(ref) {
      const row = q.owner.get(ref.platform, ref.workspace, ref.channel, ref.thread) as { user_id: string } | undefined;
      return row?.user_id;
    },
  };
}
