import type { DrillRecord } from '../core/drill/ports.js';
import type { ConversationRef } from '../core/kernel/types.js';
import type { MockRecord } from '../core/mock/ports.js';
import type { SessionRecord, TurnRecord } from '../core/practice/ports.js';
import type { Schedule } from '../core/practice/schedule-ports.js';
import { GradeSchema } from '../core/kernel/grading.js';
import type { Job, NewJob } from '../core/kernel/jobs.js';

/**
 * Rows as both backends' tables hold them (same columns, snake_case) and the records the core
 * sees. The SQL differs per backend; what a row means does not, so it is read here once.
 */

export const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** A row without its NULL columns, for records whose absent fields are left out. */
export const clean = <T extends object>(row: T): T =>
  Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as T;

const conversation = (platform: ConversationRef['platform'], workspace: string, channel: string, thread: string | null): ConversationRef =>
  ({ platform, workspace, channel, ...(thread ? { thread } : {}) });

export type SessionRow = {
  id: number; user_id: number; mode: SessionRecord['mode']; status: 'active' | 'ended';
  platform: ConversationRef['platform']; workspace: string; channel: string; thread: string | null;
  plan: string; position: number; created_at: number; updated_at: number; ended_at: number | null;
};

export type TurnRow = {
  id: number; session_id: number; question_id: string; kind: 'main' | 'followup'; prompt: string;
  probe_gap: string | null; status: TurnRecord['status']; hints_used: number; answer: string | null;
  grade: string | null; grade_attempts: number; asked_at: number; answered_at: number | null; graded_at: number | null; grade_ms: number | null;
};

export type UserRow = { id: number; key: string; platform: ConversationRef['platform']; workspace: string; external_id: string; display_name: string };

export function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id, userId: r.user_id, mode: r.mode, status: r.status,
    conversation: conversation(r.platform, r.workspace, r.channel, r.thread),
    plan: JSON.parse(r.plan) as string[], position: r.position,
    createdAt: r.created_at, updatedAt: r.updated_at, endedAt: opt(r.ended_at),
  };
}

export function toTurn(r: TurnRow): TurnRecord {
  // A stored grade that no longer parses is treated as ungraded rather than crashing a session.
  const parsed = r.grade ? GradeSchema.safeParse(JSON.parse(r.grade)) : undefined;
  return {
    id: r.id, sessionId: r.session_id, questionId: r.question_id, kind: r.kind, prompt: r.prompt,
    probeGap: opt(r.probe_gap), status: r.status, hintsUsed: r.hints_used, gradeAttempts: r.grade_attempts, answer: opt(r.answer),
    grade: parsed?.success ? parsed.data : undefined,
    askedAt: r.asked_at, answeredAt: opt(r.answered_at), gradedAt: opt(r.graded_at), gradeMs: opt(r.grade_ms),
  };
}

export const toUser = (r: UserRow) => ({
  id: r.id, key: r.key, displayName: r.display_name,
  actor: { platform: r.platform, workspace: r.workspace, userId: r.external_id, displayName: r.display_name },
});

export type DrillRow = {
  id: number; scenario_id: string; platform: ConversationRef['platform']; workspace: string; channel: string;
  thread: string | null; facilitator_id: number; status: DrillRecord['status']; created_at: number;
  started_at: number | null; ended_at: number | null;
};

export const toDrill = (r: DrillRow): DrillRecord => ({
  id: r.id, scenarioId: r.scenario_id,
  conversation: conversation(r.platform, r.workspace, r.channel, r.thread),
  facilitatorId: r.facilitator_id, status: r.status, createdAt: r.created_at,
  startedAt: opt(r.started_at), endedAt: opt(r.ended_at),
});

export type MockRow = {
  id: number; manager_id: number; candidate_id: number; session_id: number | null; platform: ConversationRef['platform'];
  workspace: string; manager_channel: string; manager_thread: string | null; status: MockRecord['status'];
  /** 0/1 in SQLite, a BOOLEAN in PostgreSQL. */
  released: number | boolean; created_at: number; finished_at: number | null;
};

export const toMock = (r: MockRow): MockRecord => ({
  id: r.id, managerId: r.manager_id, candidateId: r.candidate_id, ...(r.session_id === null ? {} : { sessionId: r.session_id }),
  managerConversation: conversation(r.platform, r.workspace, r.manager_channel, r.manager_thread),
  status: r.status, released: Boolean(r.released), createdAt: r.created_at, ...(r.finished_at === null ? {} : { finishedAt: r.finished_at }),
});

export type ScheduleRow = {
  question_id: string; easiness: number; interval_days: number; repetitions: number;
  due_at: number; last_score: number; updated_at: number;
};

export const toSchedule = (r: ScheduleRow): Schedule => ({
  questionId: r.question_id, easiness: r.easiness, intervalDays: r.interval_days, repetitions: r.repetitions,
  dueAt: r.due_at, lastScore: r.last_score, updatedAt: r.updated_at,
});

export type JobRow = {
  key: string; kind: Job['kind']; platform: Job['place']['platform']; workspace: string; user_id: string | null;
  payload: string; run_at: number; attempts: number;
};

export const toJob = (r: JobRow): Job => ({
  key: r.key, kind: r.kind, runAt: r.run_at, attempts: r.attempts, payload: JSON.parse(r.payload) as unknown,
  place: { platform: r.platform, workspace: r.workspace, ...(r.user_id !== null ? { userId: r.user_id } : {}) },
});

/** A job's columns in table order after `key`, as both backends insert them. */
export const jobValues = (j: NewJob): unknown[] =>
  [j.key, j.kind, j.place.platform, j.place.workspace, j.place.userId ?? null, JSON.stringify(j.payload ?? {}), j.runAt];
