import type { PlatformState } from '../../core/kernel/platform-state.js';
import { nameCacheOf } from '../name-cache.js';
import { eventPruner } from '../platform-state.js';
import { one, run, type Pool } from './pool.js';

/** Event ids, thread owners and display names (migration 002). */
export function createPlatformState(db: Pool, now: () => number = Date.now): PlatformState {
  const prune = eventPruner((before) => run(db, `DELETE FROM platform_events WHERE received_at < $1`, [before]));
  const names = nameCacheOf(db, now);
  return {
    // ON CONFLICT DO NOTHING inserts for exactly one of two deliveries racing, in any process.
    async seenEvent(platform, eventId) {
      const at = now();
      const fresh = (await run(db, `INSERT INTO platform_events (platform, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [platform, eventId, at])) === 1;
      if (fresh) await prune(at);
      return !fresh;
    },
    async threadOwner(c) {
      return (await one<{ user_id: string }>(db,
        `SELECT user_id FROM platform_threads WHERE platform = $1 AND workspace = $2 AND channel = $3 AND thread = $4`,
        [c.platform, c.workspace, c.channel, c.thread]))?.user_id;
    },
    async setThreadOwner(c, ownerId) {
      await run(db,
        `INSERT INTO platform_threads (platform, workspace, channel, thread, user_id, opened_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (platform, workspace, channel, thread) DO UPDATE SET user_id = excluded.user_id, opened_at = excluded.opened_at`,
        [c.platform, c.workspace, c.channel, c.thread, ownerId, now()]);
    },
    async displayName(p) {
      const cached = names.get(p);
      if (cached !== 'miss') return cached;
      const name = (await one<{ display_name: string }>(db,
        `SELECT display_name FROM platform_names WHERE platform = $1 AND workspace = $2 AND user_id = $3`, [p.platform, p.workspace, p.userId]))?.display_name;
      names.set(p, name);
      return name;
    },
    // Adapters remember a name with every event; only a change is written.
    async rememberDisplayName(p) {
      if (names.get(p) === p.displayName) return;
      await run(db,
        `INSERT INTO platform_names (platform, workspace, user_id, display_name, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (platform, workspace, user_id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at
         WHERE platform_names.display_name <> excluded.display_name`,
        [p.platform, p.workspace, p.userId, p.displayName, now()]);
      names.set(p, p.displayName);
    },
  };
}
