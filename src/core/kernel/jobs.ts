import type { Platform } from './types.js';

/**
 * Durable work that must happen once even when a process dies: a grading, a batch of replies
 * to deliver (the outbox), a drill inject. A job is written in the same transaction as the
 * state that makes it due (see `UnitOfWork`), so the state never exists without its job.
 */
export type JobKind = 'grade' | 'deliver';

/** Which processes may run a job: those serving its platform and workspace (and, for the terminal, its person). */
export type JobPlace = { platform: Platform; workspace: string; userId?: string };

export type NewJob = {
  /** Stable and unique: `grade:<turnId>`, `deliver:<what the replies report>`; adding a key that exists does nothing. */
  key: string;
  kind: JobKind;
  place: JobPlace;
  runAt: number;
  payload?: unknown;
};

/** The grading of one stored answer; the stores write it with the answer (PracticeStore.recordAnswer). */
export const gradeJobKey = (turnId: number): string => `grade:${turnId}`;

export type Job = NewJob & { attempts: number; payload: unknown };

/** The jobs a process takes: its platform's, its workspaces' (a Discord shard's servers), its person's (the terminal's). */
export type JobScope = {
  platform: Platform;
  workspace?: (workspace: string) => boolean;
  userId?: string;
};

export const inJobScope = (scope: JobScope, place: JobPlace): boolean =>
  place.platform === scope.platform &&
  (scope.workspace?.(place.workspace) ?? true) &&
  (scope.userId === undefined || place.userId === undefined || place.userId === scope.userId);

/**
 * The job table. A job is held by one worker at a time under a lease: a worker that dies loses
 * its jobs when the lease runs out and another takes them over; one that lives renews them.
 */
export interface Jobs {
  enqueue(job: NewJob): Promise<void>;
  /** The job if it exists and nobody else holds it, now held by `worker` until `now + leaseMs`. */
  claim(key: string, worker: string, now: number, leaseMs: number): Promise<Job | undefined>;
  /** Due jobs in scope that nobody holds (or whose lease ran out), oldest first, now held by `worker`. */
  claimDue(scope: JobScope, worker: string, now: number, leaseMs: number, limit: number): Promise<Job[]>;
  /** Extends the leases `worker` holds on these keys. */
  renew(keys: readonly string[], worker: string, until: number): Promise<void>;
  /** Removes a done job; false when `worker` no longer held it (its lease ran out and another took it). */
  finish(key: string, worker: string): Promise<boolean>;
  /** Lets a held job go, to be tried again at `runAt`. */
  release(key: string, worker: string, runAt: number): Promise<void>;
  /** True while the job exists (done jobs are removed). */
  pending(key: string): Promise<boolean>;
  /** The workers holding unexpired claims on the platform's jobs. */
  holders(platform: Platform, now: number): Promise<string[]>;
  /** Drops every claim `worker` holds, so the jobs can be taken at once: that worker is known to be dead. */
  abandon(worker: string): Promise<number>;
}

/**
 * Runs `work` as one transaction over every store of the backend: all of its writes commit
 * together or not at all, and on a shared database it is serialised against other processes
 * touching the same rows. `work` must not wait on anything slow (no LLM calls).
 */
export type UnitOfWork = <T>(work: () => Promise<T>) => Promise<T>;

/** Runs `work` as it is, for stores with no transactions to offer. */
export const noTransaction: UnitOfWork = (work) => work();
