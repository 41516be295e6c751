import type { HistoryEntry, PracticeStore, QuestionScore, UserRecord } from '../../core/practice/ports.js';
import { sameConversation, userKey } from '../../core/kernel/types.js';
import { opt, toSession, toTurn, toUser, type SessionRow, type TurnRow, type UserRow } from '../rows.js';
import { all, inTransaction, numbered, one, run, type Pool } from './pool.js';
import { GRADE_JOB_SQL } from '../job-store.js';

/** Sessions, turns and grading jobs (migration 001). Each method is one statement, so atomic on its own. */
export function createPracticeStore(db: Pool): PracticeStore {
  const turn = async (sql: string, params: unknown[]) => {
    const row = await one<TurnRow>(db, sql, params);
    return row && toTurn(row);
  };
  const session = async (sql: string, params: unknown[]) => {
    const row = await one<SessionRow>(db, sql, params);
    return row && toSession(row);
  };
  return {
    async upsertUser(actor) {
      return (await one<UserRecord>(db,
        `INSERT INTO users (key, platform, workspace, external_id, display_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET display_name = excluded.display_name
         RETURNING id, key, display_name AS "displayName"`,
        [userKey(actor), actor.platform, actor.workspace, actor.userId, actor.displayName, Date.now()]))!;
    },
    async userById(id) {
      const r = await one<UserRow>(db, `SELECT id, key, platform, workspace, external_id, display_name FROM users WHERE id = $1`, [id]);
      return r && toUser(r);
    },
    async createSession(userId, c, plan, now, mode = 'practice') {
      return (await session(
        `INSERT INTO sessions (user_id, mode, status, platform, workspace, channel, thread, plan, position, created_at, updated_at)
         VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, 0, $8, $8) RETURNING *`,
        [userId, mode, c.platform, c.workspace, c.channel, c.thread ?? null, JSON.stringify(plan), now]))!;
    },
    async activeSession(userId, conversation) {
      const rows = (await all<SessionRow>(db, `SELECT * FROM sessions WHERE user_id = $1 AND status = 'active' ORDER BY updated_at DESC, id DESC`, [userId])).map(toSession);
      return (conversation && rows.find((s) => sameConversation(s.conversation, conversation))) || rows[0];
    },
    getSession: (id) => session(`SELECT * FROM sessions WHERE id = $1`, [id]),
    async moveSession(id, c, now) {
      await run(db, `UPDATE sessions SET platform = $1, workspace = $2, channel = $3, thread = $4, updated_at = $5 WHERE id = $6`, [c.platform, c.workspace, c.channel, c.thread ?? null, now, id]);
    },
    async advanceSession(id, position, now) {
      await run(db, `UPDATE sessions SET position = $1, updated_at = $2 WHERE id = $3`, [position, now, id]);
    },
    async endSession(id, now) {
      await run(db, `UPDATE sessions SET status = 'ended', ended_at = $1, updated_at = $1 WHERE id = $2`, [now, id]);
    },
    async addTurn(t) {
      return (await turn(
        `INSERT INTO turns (session_id, question_id, kind, prompt, probe_gap, status, asked_at)
         VALUES ($1, $2, $3, $4, $5, 'asked', $6) RETURNING *`,
        [t.sessionId, t.questionId, t.kind, t.prompt, t.probeGap ?? null, t.askedAt]))!;
    },
    currentTurn: (sessionId) => turn(`SELECT * FROM turns WHERE session_id = $1 ORDER BY id DESC LIMIT 1`, [sessionId]),
    findTurn: (id) => turn(`SELECT * FROM turns WHERE id = $1`, [id]),
    async turns(sessionId) {
      return (await all<TurnRow>(db, `SELECT * FROM turns WHERE session_id = $1 ORDER BY id`, [sessionId])).map(toTurn);
    },
    recordAnswer: (turnId, answer, now) => inTransaction(db, async () => {
      await run(db, `UPDATE turns SET answer = $1, answered_at = $2, status = 'answered' WHERE id = $3`, [answer, now, turnId]);
      await run(db, numbered(GRADE_JOB_SQL), [now, turnId]);
    }),
    async lockSession(id) {
      // Inside a transaction, other processes' turns of this session wait here until it commits.
      await run(db, `SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE`, [id]);
    },
    async startGrading(turnId, graderKind, now) {
      const row = await one<{ grade_attempts: number }>(db,
        `UPDATE turns SET grade_attempts = grade_attempts + 1, grader_used = $1::text,
           graded_at = CASE WHEN $1::text = 'llm' THEN $2::bigint ELSE graded_at END
         WHERE id = $3 RETURNING grade_attempts`,
        [graderKind, now, turnId]);
      return row!.grade_attempts;
    },
    async recordGrade(turnId, grade, now, gradeMs) {
      const tokens = grade.meta?.tokens;
      await run(db,
        `UPDATE turns SET grade = $1, score = $2, graded_at = $3, grade_ms = $4, tokens_in = $5, tokens_out = $6, status = 'graded' WHERE id = $7`,
        [JSON.stringify(grade), grade.score, now, Math.round(gradeMs), tokens?.input ?? null, tokens?.output ?? null, turnId]);
    },
    async llmGradingsSince(userId, since) {
      const row = await one<{ n: number }>(db,
        `SELECT COUNT(*) AS n FROM turns t JOIN sessions s ON s.id = t.session_id
          WHERE s.user_id = $1 AND t.grader_used = 'llm' AND t.graded_at >= $2`, [userId, since]);
      return row!.n;
    },
    async markSkipped(turnId) {
      await run(db, `UPDATE turns SET status = 'skipped' WHERE id = $1 AND status = 'asked'`, [turnId]);
    },
    async useHint(turnId) {
      return (await one<{ hints_used: number }>(db, `UPDATE turns SET hints_used = hints_used + 1 WHERE id = $1 RETURNING hints_used`, [turnId]))!.hints_used;
    },
    async pendingTurns() {
      return (await all<TurnRow>(db, `SELECT * FROM turns WHERE status = 'answered' ORDER BY id`)).map(toTurn);
    },
    async history(userId, limit): Promise<HistoryEntry[]> {
      const rows = await all<SessionRow & { graded: number; avg_score: number | null }>(db,
        `SELECT s.*, COUNT(t.score) AS graded, AVG(t.score) AS avg_score
           FROM sessions s LEFT JOIN turns t ON t.session_id = s.id AND t.kind = 'main' AND t.score IS NOT NULL
          WHERE s.user_id = $1 GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC LIMIT $2`, [userId, limit]);
      return rows.map((r) => ({ session: toSession(r), graded: r.graded, averageScore: opt(r.avg_score) }));
    },
    async questionScores(userId) {
      return all<QuestionScore>(db,
        `SELECT t.question_id AS "questionId", AVG(t.score) AS average, COUNT(*) AS count, MAX(t.graded_at) AS "lastAt"
           FROM turns t JOIN sessions s ON s.id = t.session_id
          WHERE s.user_id = $1 AND s.mode = 'practice' AND t.kind = 'main' AND t.score IS NOT NULL GROUP BY t.question_id`, [userId]);
    },
    async lastAsked(userId) {
      const rows = await all<{ id: string; at: number }>(db,
        `SELECT t.question_id AS id, MAX(t.asked_at) AS at FROM turns t JOIN sessions s ON s.id = t.session_id
          WHERE s.user_id = $1 GROUP BY t.question_id`, [userId]);
      return new Map(rows.map((r) => [r.id, r.at]));
    },
  };
}
