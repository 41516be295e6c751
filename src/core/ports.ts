import type { Actor, ConversationRef } from './types.js';
import type { Grade } from '../grading/types.js';

export type SessionStatus = 'active' | 'ended';
export type SessionMode = 'practice' | 'mock';
export type TurnKind = 'main' | 'followup';
export type TurnStatus = 'asked' | 'answered' | 'graded' | 'skipped';

export type UserRecord = { id: number; key: string; displayName: string };
export type UserIdentity = UserRecord & { actor: Omit<Actor, 'isBot'> };

export type SessionRecord = {
  id: number;
  userId: number;
  /** A mock interview is a session the candidate answers while a panel of managers watches. */
  mode: SessionMode;
  status: SessionStatus;
  conversation: ConversationRef;
  /** The planned question ids, in order; `position` indexes the current one. */
  plan: string[];
  position: number;
  createdAt: number;
  updatedAt: number;
  endedAt?: number;
};

export type TurnRecord = {
  id: number;
  sessionId: number;
  questionId: string;
  kind: TurnKind;
  /** The text the candidate was asked: the question prompt or the follow-up probe. */
  prompt: string;
  /** The criterion a follow-up probes. */
  probeGap?: string;
  status: TurnStatus;
  hintsUsed: number;
  gradeAttempts: number;
  answer?: string;
  grade?: Grade;
  askedAt: number;
  answeredAt?: number;
  gradedAt?: number;
  gradeMs?: number;
};

export type QuestionScore = { questionId: string; average: number; count: number; lastAt: number };

export type HistoryEntry = {
  session: SessionRecord;
  graded: number;
  averageScore?: number;
};

/**
 * What the core needs from storage. Implemented over SQLite in src/store; the core never
 * sees SQL. Every write is durable when the call returns: an answer is stored before grading.
 */
export interface PracticeStore {
  upsertUser(actor: Actor): UserRecord;
  userById(id: number): UserIdentity | undefined;
  createSession(userId: number, conversation: ConversationRef, plan: string[], now: number, mode?: SessionMode): SessionRecord;
  /** The user's active session, preferring one bound to this conversation. */
  activeSession(userId: number, conversation?: ConversationRef): SessionRecord | undefined;
  getSession(id: number): SessionRecord | undefined;
  moveSession(id: number, conversation: ConversationRef, now: number): void;
  advanceSession(id: number, position: number, now: number): void;
  endSession(id: number, now: number): void;

  addTurn(turn: Omit<TurnRecord, 'id' | 'status' | 'hintsUsed' | 'gradeAttempts'>): TurnRecord;
  currentTurn(sessionId: number): TurnRecord | undefined;
  findTurn(id: number): TurnRecord | undefined;
  turns(sessionId: number): TurnRecord[];
  recordAnswer(turnId: number, answer: string, now: number): void;
  /** Marks a grading as started (with which kind of grader) and returns how many times it has been. */
  startGrading(turnId: number, graderKind: 'lexical' | 'llm', now: number): number;
  recordGrade(turnId: number, grade: Grade, now: number, gradeMs: number): void;
  /** LLM gradings the user started since `since` (ms epoch), for the per-user limit. */
  llmGradingsSince(userId: number, since: number): number;
  markSkipped(turnId: number): void;
  useHint(turnId: number): number;
  /** Turns whose answer is stored but not graded: a crash came between. */
  pendingTurns(): TurnRecord[];

  history(userId: number, limit: number): HistoryEntry[];
  /** The user's graded main answers, averaged per question. */
  questionScores(userId: number): QuestionScore[];
  /** How recently the user last saw each question (ms epoch), to prefer unseen ones. */
  lastAsked(userId: number): Map<string, number>;
}
