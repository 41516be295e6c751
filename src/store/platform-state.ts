import type { Db } from './db.js';
import type { PlatformState } from '../core/kernel/platform-state.js';
import { nameCacheOf } from './name-cache.js';

/** Slack retries for about an hour; a day of ids is plenty and keeps the table small. */
const KEEP_EVENTS_MS = 24 * 60 * 60 * 1000;

/**
 * Given a delete of the ids received before an instant, a function to call after each fresh
 * event id: pruning on every insert would be wasted work, every few hundred keeps the table
 * bounded. Both backends prune this way.
 */
export function eventPruner<R>(deleteBefore: (before: number) => R): (now: number) => R | undefined {
  let inserts = 0;
  return (now) => (++inserts % 500 === 0 ? deleteBefore(now - KEEP_EVENTS_MS) : undefined);
}

/** Event ids (migration 003), thread owners (003) and display names (007) in SQLite. */
export function createPlatformState(db: Db, now: () => number = Date.now): PlatformState {
  const q = {
    insert: db.prepare(`INSERT OR IGNORE INTO platform_events (platform, event_id, received_at) VALUES (?, ?, ?)`),
    prune: db.prepare(`DELETE FROM platform_events WHERE received_at < ?`),
    thread: db.prepare(
      `INSERT INTO platform_threads (platform, workspace, channel, thread, user_id, opened_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET user_id = excluded.user_id, opened_at = excluded.opened_at`,
    ),
    owner: db.prepare(`SELECT user_id FROM platform_threads WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ?`).pluck(),
    // Adapters remember a name with every event; only a change is written.
    name: db.prepare(
      `INSERT INTO platform_names (platform, workspace, user_id, display_name, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at
       WHERE display_name != excluded.display_name`,
    ),
    nameOf: db.prepare(`SELECT display_name FROM platform_names WHERE platform = ? AND workspace = ? AND user_id = ?`).pluck(),
  };
  const prune = eventPruner((before) => q.prune.run(before));
  const names = nameCacheOf(db, now);
  return {
    async seenEvent(platform, eventId) {
      const at = now();
      const fresh = q.insert.run(platform, eventId, at).changes === 1;
      if (fresh) prune(at);
      return !fresh;
    },
    async threadOwner(c) {
      return q.owner.get(c.platform, c.workspace, c.channel, c.thread) as string | undefined;
    },
    async setThreadOwner(c, ownerId) {
      q.thread.run(c.platform, c.workspace, c.channel, c.thread, ownerId, now());
    },
    async displayName(p) {
      const cached = names.get(p);
      if (cached !== 'miss') return cached;
      const name = q.nameOf.get(p.platform, p.workspace, p.userId) as string | undefined;
      names.set(p, name);
      return name;
    },
    async rememberDisplayName(p) {
      if (names.get(p) === p.displayName) return;
      q.name.run(p.platform, p.workspace, p.userId, p.displayName, now());
      names.set(p, p.displayName);
    },
  };
}
