import type { Catalog } from '../../content/load.js';
import type { Grade, Grader } from '../kernel/grading.js';
import type { Interviewer } from '../kernel/interviewer.js';
import type { Actor, Clock, ConversationRef, Reply } from '../kernel/types.js';
import type { PracticeStore, SessionMode, SessionRecord, TurnRecord, UserRecord } from './ports.js';
import type { ScheduleStore } from './schedule-ports.js';
import type { UnitOfWork } from '../kernel/jobs.js';

export type LlmLimit = { max: number; windowMs: number };

export type PracticeDeps = {
  catalog: Catalog;
  store: PracticeStore;
  grader: Grader;
  /** Grades when the LLM may not: the user's limit is reached or an answer keeps failing. */
  offlineGrader?: Grader;
  llmLimit?: LlmLimit;
  interviewer: Interviewer;
  clock: Clock;
  /** Behaviour of the session modes built on practice (mock interviews), registered by the bot. */
  modes?: SessionModes;
  /** Spaced repetition is on when given: weakly answered questions come back first. */
  schedules?: ScheduleStore;
  /** One transaction over the stores: an answer and its grading job, a grade and what follows it. */
  atomically: UnitOfWork;
};

export type PracticeCtx = {
  deps: PracticeDeps;
  actor: Actor;
  conversation: ConversationRef;
  user: UserRecord;
  /** Keys of the jobs this event made due (an answer's grading), for the bot to run at once. */
  started?: string[];
};

/**
 * Where a session of another mode (a mock interview) behaves differently from practice: who sees
 * a grade, what the end looks like, whether history shows its scores. A mode registers these
 * hooks in `PracticeDeps.modes` (the bot wires them), so practice never imports the modes built
 * on it; a session whose mode has no hooks runs as plain practice.
 */
export interface SessionModeHooks {
  /** Replies after a graded answer, instead of the candidate's scorecard. */
  graded(ctx: PracticeCtx, session: SessionRecord, turn: TurnRecord, grade: Grade): Promise<Reply[]>;
  /** Replies once the session has ended, instead of the practice summary. */
  finished(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]>;
  /** True while the session's scores are not its user's to see. */
  hidesScores(ctx: PracticeCtx, session: SessionRecord): Promise<boolean>;
  /** How history names a session of this mode; unnamed, it reads like a practice session. */
  readonly label?: string;
  /** Why `hint` gives nothing in this mode; without it, hints are on as in practice. */
  readonly hintsOff?: string;
  /**
   * Which of practice's optional buttons a follow-up offers besides answering and moving on;
   * practice offers both, a mode that keeps the pace itself may offer fewer.
   */
  readonly followUpExtras?: readonly FollowUpExtra[];
  /**
   * Why `practice` is refused in the conversation where a session of this mode is open; without
   * it, practice starts there as it would anywhere else.
   */
  readonly refusesPractice?: string;
}

export type FollowUpExtra = 'hint' | 'end';

export type SessionModes = Partial<Record<Exclude<SessionMode, 'practice'>, SessionModeHooks>>;
