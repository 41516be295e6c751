import type { Db } from './db.js';
import type { MockRecord, MockStore, PanelScore } from '../core/mock/ports.js';
import { toMock, type MockRow } from './rows.js';

export function createMockStore(db: Db): MockStore {
  const q = {
    create: db.prepare(
      `INSERT INTO mock_interviews (manager_id, candidate_id, session_id, platform, workspace, manager_channel, manager_thread, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?) RETURNING *`,
    ),
    get: db.prepare(`SELECT * FROM mock_interviews WHERE id = ?`),
    forSession: db.prepare(`SELECT * FROM mock_interviews WHERE session_id = ?`),
    forPanelist: db.prepare(
      `SELECT m.* FROM mock_interviews m JOIN mock_panel p ON p.mock_id = m.id WHERE p.user_id = ? ORDER BY m.created_at DESC, m.id DESC LIMIT ?`,
    ),
    finish: db.prepare(`UPDATE mock_interviews SET status = 'finished', finished_at = ? WHERE id = ? AND status = 'active'`),
    release: db.prepare(`UPDATE mock_interviews SET released = 1 WHERE id = ?`),
    panel: db.prepare(
      `SELECT p.user_id AS userId, u.display_name AS displayName FROM mock_panel p JOIN users u ON u.id = p.user_id WHERE p.mock_id = ? ORDER BY p.added_at, p.user_id`,
    ),
    addPanelist: db.prepare(`INSERT OR IGNORE INTO mock_panel (mock_id, user_id, added_at) VALUES (?, ?, ?)`),
    score: db.prepare(
      `INSERT INTO mock_scores (mock_id, turn_id, scorer_id, score, notes, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(mock_id, turn_id, scorer_id) DO UPDATE SET score = excluded.score, notes = excluded.notes, at = excluded.at`,
    ),
    scores: db.prepare(
      `SELECT s.turn_id AS turnId, s.scorer_id AS scorerId, u.display_name AS scorerName, s.score, s.notes, s.at
         FROM mock_scores s JOIN users u ON u.id = s.scorer_id WHERE s.mock_id = ? ORDER BY s.turn_id, s.at, s.scorer_id`,
    ),
  };
  // An interview and its first panelist go in together: a mock nobody on the panel can see would be lost.
  const create = db.transaction((m: Parameters<MockStore['createMock']>[0]): MockRecord => {
    const c = m.managerConversation;
    const row = q.create.get(m.managerId, m.candidateId, m.sessionId ?? null, c.platform, c.workspace, c.channel, c.thread ?? null, m.createdAt) as MockRow;
    q.addPanelist.run(row.id, m.managerId, m.createdAt);
    return toMock(row);
  });
  return {
    async createMock(m) {
      return create(m);
    },
    async getMock(id) {
      const row = q.get.get(id) as MockRow | undefined;
      return row && toMock(row);
    },
    async mockForSession(sessionId) {
      const row = q.forSession.get(sessionId) as MockRow | undefined;
      return row && toMock(row);
    },
    async mocksForPanelist(userId, limit) {
      return (q.forPanelist.all(userId, limit) as MockRow[]).map(toMock);
    },
    async finishMock(id, now) {
      q.finish.run(now, id);
    },
    async release(id) {
      q.release.run(id);
    },
    async panel(mockId) {
      return q.panel.all(mockId) as { userId: number; displayName: string }[];
    },
    async addPanelist(mockId, userId, now) {
      q.addPanelist.run(mockId, userId, now);
    },
    async score(mockId, turnId, scorerId, score, notes, now) {
      q.score.run(mockId, turnId, scorerId, score, notes, now);
    },
    async scores(mockId) {
      return q.scores.all(mockId) as PanelScore[];
    },
  };
}
