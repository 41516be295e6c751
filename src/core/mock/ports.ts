import type { ConversationRef } from '../kernel/types.js';

export type MockRecord = {
  id: number;
  managerId: number;
  candidateId: number;
  sessionId?: number;
  /** Where the panel reads scorecards: the room the interview was started from. */
  managerConversation: ConversationRef;
  status: 'active' | 'finished';
  released: boolean;
  createdAt: number;
  finishedAt?: number;
};

export type PanelScore = { turnId: number; scorerId: number; scorerName: string; score: number; notes: string; at: number };

export interface MockStore {
  createMock(m: Omit<MockRecord, 'id' | 'status' | 'released' | 'finishedAt'>): Promise<MockRecord>;
  getMock(id: number): Promise<MockRecord | undefined>;
  mockForSession(sessionId: number): Promise<MockRecord | undefined>;
  /** Interviews where the user sits on the panel, newest first. */
  mocksForPanelist(userId: number, limit: number): Promise<MockRecord[]>;
  finishMock(id: number, now: number): Promise<void>;
  release(id: number): Promise<void>;
  panel(mockId: number): Promise<{ userId: number; displayName: string }[]>;
  addPanelist(mockId: number, userId: number, now: number): Promise<void>;
  score(mockId: number, turnId: number, scorerId: number, score: number, notes: string, now: number): Promise<void>;
  scores(mockId: number): Promise<PanelScore[]>;
}
