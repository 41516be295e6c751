import type { Db } from './db.js';
import type { HistoryEntry, PracticeStore, QuestionScore, UserRecord } from '../core/practice/ports.js';
import { sameConversation, userKey, type Actor } from '../core/kernel/types.js';
import type { Grade } from '../core/kernel/grading.js';
import { GRADE_JOB_SQL } from './job-store.js';
import { opt, toSession, toTurn, toUser, type SessionRow, type TurnRow, type UserRow } from './rows.js';

export function createPracticeStore(db: Db): PracticeStore {
  const q = {
    upsertUser: db.prepare(
      `INSERT INTO users (key, platform, workspace, external_id, display_name, created_at)
       VALUES (@key, @platform, @workspace, @externalId, @displayName, @now)
       ON CONFLICT(key) DO UPDATE SET display_name = excluded.display_name
       RETURNING id, key, display_name AS displayName`,
    ),
    createSession: db.prepare(
      `INSERT INTO sessions (user_id, mode, status, platform, workspace, channel, thread, plan, position, created_at, updated_at)
       VALUES (?, ?, 'active', ?, ?, ?, ?, ?, 0, ?, ?) RETURNING *`,
    ),
    activeSessions: db.prepare(`SELECT * FROM sessions WHERE user_id = ? AND status = 'active' ORDER BY updated_at DESC, id DESC`),
    userById: db.prepare(`SELECT id, key, platform, workspace, external_id, display_name FROM users WHERE id = ?`),
    findTurn: db.prepare(`SELECT * FROM turns WHERE id = ?`),
    getSession: db.prepare(`SELECT * FROM sessions WHERE id = ?`),
    moveSession: db.prepare(`UPDATE sessions SET platform = ?, workspace = ?, channel = ?, thread = ?, updated_at = ? WHERE id = ?`),
    advance: db.prepare(`UPDATE sessions SET position = ?, updated_at = ? WHERE id = ?`),
    end: db.prepare(`UPDATE sessions SET status = 'ended', ended_at = ?, updated_at = ? WHERE id = ?`),
    addTurn: db.prepare(
      `INSERT INTO turns (session_id, question_id, kind, prompt, probe_gap, status, asked_at)
       VALUES (?, ?, ?, ?, ?, 'asked', ?) RETURNING *`,
    ),
    currentTurn: db.prepare(`SELECT * FROM turns WHERE session_id = ? ORDER BY id DESC LIMIT 1`),
    turns: db.prepare(`SELECT * FROM turns WHERE session_id = ? ORDER BY id`),
    answer: db.prepare(`UPDATE turns SET answer = ?, answered_at = ?, status = 'answered' WHERE id = ?`),
    gradeJob: db.prepare(GRADE_JOB_SQL),
    startGrading: db.prepare(
      `UPDATE turns SET grade_attempts = grade_attempts + 1, grader_used = ?, graded_at = CASE WHEN ? = 'llm' THEN ? ELSE graded_at END
        WHERE id = ? RETURNING grade_attempts`,
    ),
    grade: db.prepare(
      `UPDATE turns SET grade = ?, score = ?, graded_at = ?, grade_ms = ?, tokens_in = ?, tokens_out = ?, status = 'graded' WHERE id = ?`,
    ),
    llmSince: db.prepare(
      `SELECT COUNT(*) AS n FROM turns t JOIN sessions s ON s.id = t.session_id
        WHERE s.user_id = ? AND t.grader_used = 'llm' AND t.graded_at >= ?`,
    ),
    skip: db.prepare(`UPDATE turns SET status = 'skipped' WHERE id = ? AND status = 'asked'`),
    hint: db.prepare(`UPDATE turns SET hints_used = hints_used + 1 WHERE id = ? RETURNING hints_used`),
    pending: db.prepare(`SELECT * FROM turns WHERE status = 'answered' ORDER BY id`),
    history: db.prepare(
      `SELECT s.*, COUNT(t.score) AS graded, AVG(t.score) AS avg_score
         FROM sessions s LEFT JOIN turns t ON t.session_id = s.id AND t.kind = 'main' AND t.score IS NOT NULL
        WHERE s.user_id = ? GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC LIMIT ?`,
    ),
    questionScores: db.prepare(
      `SELECT t.question_id AS questionId, AVG(t.score) AS average, COUNT(*) AS count, MAX(t.graded_at) AS lastAt
         FROM turns t JOIN sessions s ON s.id = t.session_id
        WHERE s.user_id = ? AND s.mode = 'practice' AND t.kind = 'main' AND t.score IS NOT NULL GROUP BY t.question_id`,
    ),
    lastAsked: db.prepare(
      `SELECT t.question_id AS id, MAX(t.asked_at) AS at FROM turns t JOIN sessions s ON s.id = t.session_id
        WHERE s.user_id = ? GROUP BY t.question_id`,
    ),
  };

  const recordAnswer = db.transaction((answer: string, now: number, turnId: number) => {
    q.answer.run(answer, now, turnId);
    q.gradeJob.run(now, turnId);
  });

  return {
    async upsertUser(actor: Actor): Promise<UserRecord> {
      return q.upsertUser.get({
        key: userKey(actor), platform: actor.platform, workspace: actor.workspace,
        externalId: actor.userId, displayName: actor.displayName, now: Date.now(),
      }) as UserRecord;
    },
    async userById(id) {
      const r = q.userById.get(id) as UserRow | undefined;
      return r && toUser(r);
    },
    async createSession(userId, c, plan, now, mode = 'practice') {
      return toSession(q.createSession.get(userId, mode, c.platform, c.workspace, c.channel, c.thread ?? null, JSON.stringify(plan), now, now) as SessionRow);
    },
    async activeSession(userId, conversation) {
      const rows = (q.activeSessions.all(userId) as SessionRow[]).map(toSession);
      return (conversation && rows.find((s) => sameConversation(s.conversation, conversation))) || rows[0];
    },
    async getSession(id) {
      const row = q.getSession.get(id) as SessionRow | undefined;
      return row && toSession(row);
    },
    async moveSession(id, c, now) {
      q.moveSession.run(c.platform, c.workspace, c.channel, c.thread ?? null, now, id);
    },
    async advanceSession(id, position, now) {
      q.advance.run(position, now, id);
    },
    async endSession(id, now) {
      q.end.run(now, now, id);
    },
    async addTurn(t) {
      return toTurn(q.addTurn.get(t.sessionId, t.questionId, t.kind, t.prompt, t.probeGap ?? null, t.askedAt) as TurnRow);
    },
    async currentTurn(sessionId) {
      const row = q.currentTurn.get(sessionId) as TurnRow | undefined;
      return row && toTurn(row);
    },
    async findTurn(id) {
      const row = q.findTurn.get(id) as TurnRow | undefined;
      return row && toTurn(row);
    },
    async turns(sessionId) {
      return (q.turns.all(sessionId) as TurnRow[]).map(toTurn);
    },
    async recordAnswer(turnId, answer, now) {
      recordAnswer(answer, now, turnId);
    },
    async lockSession() {
      // SQLite's BEGIN IMMEDIATE (unit-of-work.ts) already holds the whole file.
    },
    async startGrading(turnId, graderKind, now) {
      return (q.startGrading.get(graderKind, graderKind, now, turnId) as { grade_attempts: number }).grade_attempts;
    },
    async recordGrade(turnId, grade: Grade, now, gradeMs) {
      const tokens = grade.meta?.tokens;
      q.grade.run(JSON.stringify(grade), grade.score, now, Math.round(gradeMs), tokens?.input ?? null, tokens?.output ?? null, turnId);
    },
    async llmGradingsSince(userId, since) {
      return (q.llmSince.get(userId, since) as { n: number }).n;
    },
    async markSkipped(turnId) {
      q.skip.run(turnId);
    },
    async useHint(turnId) {
      return (q.hint.get(turnId) as { hints_used: number }).hints_used;
    },
    async pendingTurns() {
      return (q.pending.all() as TurnRow[]).map(toTurn);
    },
    async history(userId, limit): Promise<HistoryEntry[]> {
      return (q.history.all(userId, limit) as (SessionRow & { graded: number; avg_score: number | null })[]).map((r) => ({
        session: toSession(r), graded: r.graded, averageScore: opt(r.avg_score),
      }));
    },
    async questionScores(userId) {
      return q.questionScores.all(userId) as QuestionScore[];
    },
    async lastAsked(userId) {
      return new Map((q.lastAsked.all(userId) as { id: string; at: number }[]).map((r) => [r.id, r.at]));
    },
  };
}
