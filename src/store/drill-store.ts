import type { Db } from './db.js';
import type { DrillEvent, DrillStore, DrillTimer, Participant } from '../core/drill/ports.js';
import { clean, toDrill, type DrillRow } from './rows.js';

export function createDrillStore(db: Db): DrillStore {
  const q = {
    create: db.prepare(
      `INSERT INTO drills (scenario_id, platform, workspace, channel, thread, facilitator_id, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'lobby', ?) RETURNING *`,
    ),
    inRoom: db.prepare(
      `SELECT * FROM drills WHERE platform = ? AND workspace = ? AND channel = ? AND IFNULL(thread, '') = ? AND status != 'ended'
       ORDER BY id DESC LIMIT 1`,
    ),
    get: db.prepare(`SELECT * FROM drills WHERE id = ?`),
    status: db.prepare(
      `UPDATE drills SET status = @status,
         started_at = CASE WHEN @status = 'running' AND started_at IS NULL THEN @now ELSE started_at END,
         ended_at = CASE WHEN @status = 'ended' THEN @now ELSE ended_at END
       WHERE id = @id`,
    ),
    move: db.prepare(`UPDATE drills SET platform = ?, workspace = ?, channel = ?, thread = ? WHERE id = ?`),
    participants: db.prepare(
      `SELECT p.user_id AS userId, u.display_name AS displayName, p.role, p.joined_at AS joinedAt, p.left_at AS leftAt
         FROM drill_participants p JOIN users u ON u.id = p.user_id WHERE p.drill_id = ? ORDER BY p.joined_at, p.user_id`,
    ),
    join: db.prepare(
      `INSERT INTO drill_participants (drill_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(drill_id, user_id) DO UPDATE SET role = excluded.role, left_at = NULL`,
    ),
    leave: db.prepare(`UPDATE drill_participants SET left_at = ? WHERE drill_id = ? AND user_id = ?`),
    addEvent: db.prepare(
      `INSERT INTO drill_events (drill_id, at, kind, user_id, role, ref, value, detail)
       VALUES (@drillId, @at, @kind, @userId, @role, @ref, @value, @detail) RETURNING id`,
    ),
    events: db.prepare(
      `SELECT e.id, e.at, e.kind, e.user_id AS userId, u.display_name AS displayName, e.role, e.ref, e.value, e.detail
         FROM drill_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.drill_id = ? ORDER BY e.id`,
    ),
    refs: db.prepare(`SELECT ref FROM drill_events WHERE drill_id = ? AND kind = ? AND ref IS NOT NULL ORDER BY id`).pluck(),
    schedule: db.prepare(`INSERT INTO drill_timers (drill_id, inject_id, due_at, status) VALUES (?, ?, ?, 'pending')`),
    pending: db.prepare(
      `SELECT id, drill_id AS drillId, inject_id AS injectId, due_at AS dueAt, remaining_ms AS remainingMs
         FROM drill_timers WHERE drill_id = ? AND status = 'pending' ORDER BY IFNULL(due_at, remaining_ms), id`,
    ),
    due: db.prepare(
      `SELECT t.id, t.drill_id AS drillId, t.inject_id AS injectId, t.due_at AS dueAt
         FROM drill_timers t JOIN drills d ON d.id = t.drill_id
        WHERE t.status = 'pending' AND d.status = 'running' AND t.due_at <= ? ORDER BY t.due_at, t.id`,
    ),
    fire: db.prepare(`UPDATE drill_timers SET status = 'fired' WHERE id = ? AND status = 'pending'`),
    cancelAll: db.prepare(`UPDATE drill_timers SET status = 'cancelled' WHERE drill_id = ? AND status = 'pending'`),
    cancelOne: db.prepare(`UPDATE drill_timers SET status = 'cancelled' WHERE drill_id = ? AND inject_id = ? AND status = 'pending'`),
    pause: db.prepare(
      `UPDATE drill_timers SET remaining_ms = MAX(0, due_at - ?), due_at = NULL WHERE drill_id = ? AND status = 'pending' AND due_at IS NOT NULL`,
    ),
    resume: db.prepare(
      `UPDATE drill_timers SET due_at = ? + remaining_ms, remaining_ms = NULL WHERE drill_id = ? AND status = 'pending' AND due_at IS NULL`,
    ),
  };
  return {
    async createDrill(scenarioId, c, facilitatorId, now) {
      return toDrill(q.create.get(scenarioId, c.platform, c.workspace, c.channel, c.thread ?? null, facilitatorId, now) as DrillRow);
    },
    async drillIn(c) {
      const row = q.inRoom.get(c.platform, c.workspace, c.channel, c.thread ?? '') as DrillRow | undefined;
      return row && toDrill(row);
    },
    async getDrill(id) {
      const row = q.get.get(id) as DrillRow | undefined;
      return row && toDrill(row);
    },
    async setStatus(id, status, now) {
      q.status.run({ id, status, now });
    },
    async moveDrill(id, c) {
      q.move.run(c.platform, c.workspace, c.channel, c.thread ?? null, id);
    },
    async participants(drillId) {
      return (q.participants.all(drillId) as Participant[]).map(clean);
    },
    async join(drillId, userId, role, now) {
      q.join.run(drillId, userId, role, now);
    },
    async leave(drillId, userId, now) {
      q.leave.run(now, drillId, userId);
    },
    async addEvent(drillId, e) {
      const row = { drillId, at: e.at, kind: e.kind, userId: e.userId ?? null, role: e.role ?? null, ref: e.ref ?? null, value: e.value ?? null, detail: e.detail ?? null };
      const { id } = q.addEvent.get(row) as { id: number };
      return { ...e, id };
    },
    async events(drillId) {
      return (q.events.all(drillId) as DrillEvent[]).map(clean);
    },
    async eventRefs(drillId, kind) {
      return q.refs.all(drillId, kind) as string[];
    },
    async schedule(drillId, injectId, dueAt) {
      q.schedule.run(drillId, injectId, dueAt);
    },
    async pendingTimers(drillId) {
      return (q.pending.all(drillId) as DrillTimer[]).map(clean);
    },
    async dueTimers(now) {
      return (q.due.all(now) as DrillTimer[]).map(clean);
    },
    async fireTimer(id) {
      return q.fire.run(id).changes === 1;
    },
    async cancelTimers(drillId, injectId) {
      if (injectId) q.cancelOne.run(drillId, injectId);
      else q.cancelAll.run(drillId);
    },
    async pauseTimers(drillId, now) {
      q.pause.run(now, drillId);
    },
    async resumeTimers(drillId, now) {
      q.resume.run(now, drillId);
    },
  };
}
