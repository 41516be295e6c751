import { afterEach, beforeEach } from 'vitest';
import type { Actor, ConversationRef } from '../../src/core/kernel/types.js';
import type { Grade } from '../../src/core/kernel/grading.js';
import type { Stores } from '../../src/store/ports.js';

/** What the store contract (contract.ts) is given, and the small things its cases share. */

export type StoreFixture = {
  /** The backend under test, over a fresh, empty database; after reopen(), the reopened one. */
  readonly stores: Stores;
  /** Closes the stores and opens the same database again, as a restarted process would. */
  reopen(): Promise<Stores>;
  /** A second, independent instance over the same database, as another process would open it; closed with the fixture. */
  another(): Promise<Stores>;
  /** Closes whatever is open and throws the database away. */
  close(): Promise<void>;
};

export type OpenFixture = () => Promise<StoreFixture>;

/** A fixed instant, so stored times are exact. */
export const T0 = Date.UTC(2026, 2, 2, 9, 0);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export const person = (userId: string, displayName: string, where: Partial<Pick<Actor, 'platform' | 'workspace'>> = {}): Actor => ({
  platform: where.platform ?? 'slack', workspace: where.workspace ?? 'T1', userId, displayName, isBot: false,
});
export const room = (channel: string, thread?: string, workspace = 'T1'): ConversationRef => ({
  platform: 'slack', workspace, channel, ...(thread ? { thread } : {}),
});
export const grade = (score: number): Grade => ({
  score,
  criteria: [{ id: 'metric-choice', score: 3, evidence: ['precision and recall'], rationale: 'names the metrics' }],
  strengths: ['picks a metric'], gaps: [], flags: [], grader: { kind: 'lexical', rubricVersion: 'test' },
});

/** Runs each case over a fresh database from `open`, closed afterwards; `use()` gives the fixture. */
export function withFixture(open: OpenFixture): () => StoreFixture {
  let fixture: StoreFixture | undefined;
  beforeEach(async () => {
    fixture = await open();
  });
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });
  return () => fixture!;
}
