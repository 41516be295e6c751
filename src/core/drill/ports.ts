import type { ConversationRef } from '../kernel/types.js';

export type DrillStatus = 'lobby' | 'running' | 'paused' | 'ended';

export type DrillRecord = {
  id: number;
  scenarioId: string;
  conversation: ConversationRef;
  facilitatorId: number;
  status: DrillStatus;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
};

export type Participant = { userId: number; displayName: string; role: string; joinedAt: number; leftAt?: number };

export type DrillEventKind = 'inject' | 'decision' | 'vote' | 'message' | 'action' | 'control';

/** One line of a drill's record, in the order it happened; messages are kept with author, role and time. */
export type DrillEvent = {
  id: number;
  at: number;
  kind: DrillEventKind;
  userId?: number;
  displayName?: string;
  role?: string;
  ref?: string;
  value?: string;
  detail?: string;
};

export type DrillTimer = { id: number; drillId: number; injectId: string; dueAt?: number; remainingMs?: number };

/** What the drill flow needs from storage; SQLite in src/store/drill-store.ts. */
export interface DrillStore {
  createDrill(scenarioId: string, conversation: ConversationRef, facilitatorId: number, now: number): Promise<DrillRecord>;
  /** The drill that is not over in this room, if any: two rooms never share one. */
  drillIn(conversation: ConversationRef): Promise<DrillRecord | undefined>;
  getDrill(id: number): Promise<DrillRecord | undefined>;
  setStatus(id: number, status: DrillStatus, now: number): Promise<void>;
  moveDrill(id: number, conversation: ConversationRef): Promise<void>;

  participants(drillId: number): Promise<Participant[]>;
  join(drillId: number, userId: number, role: string, now: number): Promise<void>;
  leave(drillId: number, userId: number, now: number): Promise<void>;

  addEvent(drillId: number, event: Omit<DrillEvent, 'id' | 'displayName'>): Promise<DrillEvent>;
  events(drillId: number): Promise<DrillEvent[]>;
  /** The refs of one kind of event, in order: what per-message checks need, without the whole log. */
  eventRefs(drillId: number, kind: DrillEventKind): Promise<string[]>;

  schedule(drillId: number, injectId: string, dueAt: number): Promise<void>;
  pendingTimers(drillId: number): Promise<DrillTimer[]>;
  /** Timers due by `now` in running drills, oldest first. */
  dueTimers(now: number): Promise<DrillTimer[]>;
  /** Marks a timer fired; false when another process or tick already did. */
  fireTimer(id: number): Promise<boolean>;
  cancelTimers(drillId: number, injectId?: string): Promise<void>;
  pauseTimers(drillId: number, now: number): Promise<void>;
  resumeTimers(drillId: number, now: number): Promise<void>;
}

/** Decides which expected actions a participant's message shows, with the quote that shows it. */
export interface DrillMatcher {
  match(text: string, actions: { id: string; description: string; signals: { id: string; terms: string[] }[] }[]): Promise<{ actionId: string; quote: string }[]>;
}
