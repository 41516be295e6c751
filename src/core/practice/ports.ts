import type { Actor, ConversationRef } from '../kernel/types.js';
import type { Grade } from '../kernel/grading.js';

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
 * sees SQL. Every method returns a promise so a networked database can sit behind it; every
 * write is durable once its promise resolves, so the core awaits each one before going on
 * (an answer is stored before grading starts).
 */
export interface PracticeStore {
  upsertUser(actor: Actor): Promise<UserRecord>;
  userById(id: number): Promise<UserIdentity | undefined>;
  createSession(userId: number, conversation: ConversationRef, plan: string[], now: number, mode?: SessionMode): Promise<SessionRecord>;
  /** The user's active session, preferring one bound to this conversation. */
  activeSession(userId: number, conversation?: ConversationRef): Promise<SessionRecord | undefined>;
  getSession(id: number): Promise<SessionRecord | undefined>;
  moveSession(id: number, conversation: ConversationRef, now: number): Promise<void>;
  advanceSession(id: number, position: number, now: number): Promise<void>;
  endSession(id: number, now: number): Promise<void>;

  addTurn(turn: Omit<TurnRecord, 'id' | 'status' | 'hintsUsed' | 'gradeAttempts'>): Promise<TurnRecord>;
  currentTurn(sessionId: number): Promise<TurnRecord | undefined>;
  findTurn(id: number): Promise<TurnRecord | undefined>;
  turns(sessionId: number): Promise<TurnRecord[]>;
  /**
   * Stores (or replaces) the turn's answer and, in the same transaction, its grading job
   * (`gradeJobKey`), so an answer is never stored without the job that grades it.
   */
  recordAnswer(turnId: number, answer: string, now: number): Promise<void>;
  /** Inside a unit of work, holds the session against other processes' turns until it commits. */
  lockSession(id: number): Promise<void>;
  /** Marks a grading as started (with which kind of grader) and returns how many times it has been. */
  startGrading(turnId: number, graderKind: 'lexical' | 'llm', now: number): Promise<number>;
  recordGrade(turnId: number, grade: Grade, now: number, gradeMs: number): Promise<void>;
  /** LLM gradings the user started since `since` (ms epoch), for the per-user limit. */
  llmGradingsSince(userId: number, since: number): Promise<number>;
  markSkipped(turnId: number): Promise<void>;
  useHint(turnId: number): Promise<number>;
  /** Turns whose answer is stored but not graded: a crash came between. */
  pendingTurns(): Promise<TurnRecord[]>;

  history(userId: number, limit: number): Promise<HistoryEntry[]>;
  /** The user's graded main answers, averaged per question. */
  questionScores(userId: number): Promise<QuestionScore[]>;
  /** How recently the user last saw each question (ms epoch), to prefer unseen ones. */
  lastAsked(userId: number): Promise<Map<string, number>>;
}
