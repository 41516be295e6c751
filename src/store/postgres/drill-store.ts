import type { DrillEvent, DrillStore, DrillTimer, Participant } from '../../core/drill/ports.js';
import { clean, toDrill, type DrillRow } from '../rows.js';
import { all, one, run, type Pool } from './pool.js';

/** Drills, who takes part, what happened and the durable timers (migration 003). */
export function createDrillStore(db: Pool): DrillStore {
  const drill = async (sql: string, params: unknown[]) => {
    const row = await one<DrillRow>(db, sql, params);
    return row && toDrill(row);
  };
  return {
    async createDrill(scenarioId, c, facilitatorId, now) {
      return (await drill(
        `INSERT INTO drills (scenario_id, platform, workspace, channel, thread, facilitator_id, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'lobby', $7) RETURNING *`,
        [scenarioId, c.platform, c.workspace, c.channel, c.thread ?? null, facilitatorId, now]))!;
    },
    drillIn: (c) => drill(
      `SELECT * FROM drills WHERE platform = $1 AND workspace = $2 AND channel = $3 AND COALESCE(thread, '') = $4 AND status != 'ended'
       ORDER BY id DESC LIMIT 1`,
      [c.platform, c.workspace, c.channel, c.thread ?? '']),
    getDrill: (id) => drill(`SELECT * FROM drills WHERE id = $1`, [id]),
    async setStatus(id, status, now) {
      await run(db,
        `UPDATE drills SET status = $2::text,
           started_at = CASE WHEN $2::text = 'running' AND started_at IS NULL THEN $3::bigint ELSE started_at END,
           ended_at = CASE WHEN $2::text = 'ended' THEN $3::bigint ELSE ended_at END
         WHERE id = $1`, [id, status, now]);
    },
    async moveDrill(id, c) {
      await run(db, `UPDATE drills SET platform = $1, workspace = $2, channel = $3, thread = $4 WHERE id = $5`, [c.platform, c.workspace, c.channel, c.thread ?? null, id]);
    },
    async participants(drillId) {
      return (await all<Participant>(db,
        `SELECT p.user_id AS "userId", u.display_name AS "displayName", p.role, p.joined_at AS "joinedAt", p.left_at AS "leftAt"
           FROM drill_participants p JOIN users u ON u.id = p.user_id WHERE p.drill_id = $1 ORDER BY p.joined_at, p.user_id`, [drillId])).map(clean);
    },
    async join(drillId, userId, role, now) {
      await run(db,
        `INSERT INTO drill_participants (drill_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (drill_id, user_id) DO UPDATE SET role = excluded.role, left_at = NULL`, [drillId, userId, role, now]);
    },
    async leave(drillId, userId, now) {
      await run(db, `UPDATE drill_participants SET left_at = $1 WHERE drill_id = $2 AND user_id = $3`, [now, drillId, userId]);
    },
    async addEvent(drillId, e) {
      const { id } = (await one<{ id: number }>(db,
        `INSERT INTO drill_events (drill_id, at, kind, user_id, role, ref, value, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [drillId, e.at, e.kind, e.userId ?? null, e.role ?? null, e.ref ?? null, e.value ?? null, e.detail ?? null]))!;
      return { ...e, id };
    },
    async events(drillId) {
      return (await all<DrillEvent>(db,
        `SELECT e.id, e.at, e.kind, e.user_id AS "userId", u.display_name AS "displayName", e.role, e.ref, e.value, e.detail
           FROM drill_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.drill_id = $1 ORDER BY e.id`, [drillId])).map(clean);
    },
    async eventRefs(drillId, kind) {
      const rows = await all<{ ref: string }>(db, `SELECT ref FROM drill_events WHERE drill_id = $1 AND kind = $2 AND ref IS NOT NULL ORDER BY id`, [drillId, kind]);
      return rows.map((r) => r.ref);
    },
    async schedule(drillId, injectId, dueAt) {
      await run(db, `INSERT INTO drill_timers (drill_id, inject_id, due_at, status) VALUES ($1, $2, $3, 'pending')`, [drillId, injectId, dueAt]);
    },
    async pendingTimers(drillId) {
      return (await all<DrillTimer>(db,
        `SELECT id, drill_id AS "drillId", inject_id AS "injectId", due_at AS "dueAt", remaining_ms AS "remainingMs" FROM drill_timers
          WHERE drill_id = $1 AND status = 'pending' ORDER BY COALESCE(due_at, remaining_ms), id`, [drillId])).map(clean);
    },
    async dueTimers(now) {
      return (await all<DrillTimer>(db,
        `SELECT t.id, t.drill_id AS "drillId", t.inject_id AS "injectId", t.due_at AS "dueAt" FROM drill_timers t JOIN drills d ON d.id = t.drill_id
          WHERE t.status = 'pending' AND d.status = 'running' AND t.due_at <= $1 ORDER BY t.due_at, t.id`, [now])).map(clean);
    },
    // One UPDATE claims the timer: of two processes firing it at once, the second finds it no longer pending.
    async fireTimer(id) {
      return (await run(db, `UPDATE drill_timers SET status = 'fired' WHERE id = $1 AND status = 'pending'`, [id])) === 1;
    },
    async cancelTimers(drillId, injectId) {
      if (injectId) await run(db, `UPDATE drill_timers SET status = 'cancelled' WHERE drill_id = $1 AND inject_id = $2 AND status = 'pending'`, [drillId, injectId]);
      else await run(db, `UPDATE drill_timers SET status = 'cancelled' WHERE drill_id = $1 AND status = 'pending'`, [drillId]);
    },
    async pauseTimers(drillId, now) {
      await run(db,
        `UPDATE drill_timers SET remaining_ms = GREATEST(0, due_at - $1), due_at = NULL
          WHERE drill_id = $2 AND status = 'pending' AND due_at IS NOT NULL`, [now, drillId]);
    },
    async resumeTimers(drillId, now) {
      await run(db,
        `UPDATE drill_timers SET due_at = $1::bigint + remaining_ms, remaining_ms = NULL
          WHERE drill_id = $2 AND status = 'pending' AND due_at IS NULL`, [now, drillId]);
    },
  };
}
