import type { MockStore, PanelScore } from '../../core/mock/ports.js';
import { toMock, type MockRow } from '../rows.js';
import { all, inTransaction, one, run, type Pool, type Queryable } from './pool.js';

const addPanelist = (db: Queryable, mockId: number, userId: number, now: number) =>
  run(db, `INSERT INTO mock_panel (mock_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [mockId, userId, now]);

/** Mock interviews, their panels and the panel's scores (migration 004). */
export function createMockStore(db: Pool): MockStore {
  const mock = async (sql: string, params: unknown[]) => {
    const row = await one<MockRow>(db, sql, params);
    return row && toMock(row);
  };
  return {
    // An interview and its first panelist go in together: a mock nobody on the panel can see would be lost.
    createMock: (m) => inTransaction(db, async (tx) => {
      const c = m.managerConversation;
      const row = (await one<MockRow>(tx,
        `INSERT INTO mock_interviews (manager_id, candidate_id, session_id, platform, workspace, manager_channel, manager_thread, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) RETURNING *`,
        [m.managerId, m.candidateId, m.sessionId ?? null, c.platform, c.workspace, c.channel, c.thread ?? null, m.createdAt]))!;
      await addPanelist(tx, row.id, m.managerId, m.createdAt);
      return toMock(row);
    }),
    getMock: (id) => mock(`SELECT * FROM mock_interviews WHERE id = $1`, [id]),
    mockForSession: (sessionId) => mock(`SELECT * FROM mock_interviews WHERE session_id = $1`, [sessionId]),
    async mocksForPanelist(userId, limit) {
      return (await all<MockRow>(db,
        `SELECT m.* FROM mock_interviews m JOIN mock_panel p ON p.mock_id = m.id WHERE p.user_id = $1
          ORDER BY m.created_at DESC, m.id DESC LIMIT $2`, [userId, limit])).map(toMock);
    },
    async finishMock(id, now) {
      await run(db, `UPDATE mock_interviews SET status = 'finished', finished_at = $1 WHERE id = $2 AND status = 'active'`, [now, id]);
    },
    async release(id) {
      await run(db, `UPDATE mock_interviews SET released = true WHERE id = $1`, [id]);
    },
    panel: (mockId) => all<{ userId: number; displayName: string }>(db,
      `SELECT p.user_id AS "userId", u.display_name AS "displayName" FROM mock_panel p JOIN users u ON u.id = p.user_id
        WHERE p.mock_id = $1 ORDER BY p.added_at, p.user_id`, [mockId]),
    async addPanelist(mockId, userId, now) {
      await addPanelist(db, mockId, userId, now);
    },
    async score(mockId, turnId, scorerId, score, notes, now) {
      await run(db,
        `INSERT INTO mock_scores (mock_id, turn_id, scorer_id, score, notes, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (mock_id, turn_id, scorer_id) DO UPDATE SET score = excluded.score, notes = excluded.notes, at = excluded.at`,
        [mockId, turnId, scorerId, score, notes, now]);
    },
    scores: (mockId) => all<PanelScore>(db,
      `SELECT s.turn_id AS "turnId", s.scorer_id AS "scorerId", u.display_name AS "scorerName", s.score, s.notes, s.at
         FROM mock_scores s JOIN users u ON u.id = s.scorer_id WHERE s.mock_id = $1 ORDER BY s.turn_id, s.at, s.scorer_id`, [mockId]),
  };
}
