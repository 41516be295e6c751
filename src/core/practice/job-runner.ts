import * as practice from './flow.js';
import type { PracticeCtx } from './context.js';
import type { PracticeStore, SessionRecord } from './ports.js';
import type { Job, JobPlace, JobScope, Jobs, UnitOfWork } from '../kernel/jobs.js';
import type { Clock, Receipt, Reply } from '../kernel/types.js';

/** An adapter's delivery of one batch: it sends the replies and says which rooms it opened. */
export type Deliver = (replies: Reply[]) => Promise<readonly Receipt[]>;

export type RunnerDeps = {
  jobs: Jobs;
  atomically: UnitOfWork;
  store: PracticeStore;
  clock: Clock;
  /** This process's name in the job table's claims. */
  worker: string;
  /** How long a claim holds without renewal; a dead process's jobs wait this long for another. */
  leaseMs: number;
  /**
   * Whether the worker that holds a claim still runs: false only when that is certain (a process
   * on this machine that has exited), so its jobs are taken at once instead of after the lease.
   */
  isAlive?: (worker: string) => boolean | undefined;
  /** The session owner's context, as their own events would have it. */
  contextFor(session: SessionRecord): Promise<PracticeCtx | undefined>;
  applyReceipts(receipts: readonly Receipt[]): Promise<void>;
  log(message: string, err: unknown): void;
};

/** Jobs taken per pass of `runDue`; the rest wait for the next pass. */
const BATCH = 20;

/** A failed grading or delivery is tried again after this, times its attempts so far (capped). */
const RETRY_MS = 5_000;
const retryAt = (job: Job, now: number) => now + RETRY_MS * Math.min(job.attempts, 12);

class LostLease extends Error {}

/** The outbox entry of a job's replies: the replies a grading produced, delivered by whichever process is alive. */
export const deliveryKey = (of: string) => `deliver:${of}`;

/**
 * Runs durable jobs: gradings (grade, then record the grade, the next step and the outbox entry
 * in one transaction) and deliveries (send the outbox entry, then mark it sent by removing it).
 * Every job is claimed first, so of several processes exactly one runs it; a process that dies
 * loses its claims when their leases run out and another process runs the job again.
 */
export function createJobRunner(deps: RunnerDeps) {
  const { jobs, worker, leaseMs, clock } = deps;

  /** Renews the claim while `work` runs, so a long grading is not taken over by another process. */
  async function holding<T>(key: string, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      void jobs.renew([key], worker, clock.now() + leaseMs).catch((err: unknown) => deps.log('sparring: renewing a job claim failed', err));
    }, Math.max(50, leaseMs / 3));
    timer.unref?.();
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  async function grade(job: Job, deliver?: Deliver): Promise<Reply[]> {
    const turnId = Number(job.key.slice('grade:'.length));
    for (let regrades = 0; ; regrades++) {
      const turn = await deps.store.findTurn(turnId);
      const session = turn && (await deps.store.getSession(turn.sessionId));
      const ctx = session && turn?.status === 'answered' && session.status === 'active' ? await deps.contextFor(session) : undefined;
      if (!turn || !session || !ctx) {
        await jobs.finish(job.key, worker);
        return [];
      }
      const commit = (write: () => Promise<Reply[]>) => deps.atomically(async () => {
        const replies = await write();
        if (!(await jobs.finish(job.key, worker))) throw new LostLease();
        if (replies.length) await jobs.enqueue({ key: deliveryKey(job.key), kind: 'deliver', place: job.place, runAt: clock.now(), payload: { replies } });
        return replies;
      });
      let outcome: practice.GradeOutcome;
      try {
        outcome = await practice.gradeAnswer(ctx, session, turn, commit, regrades);
      } catch (err) {
        if (err instanceof LostLease) return [];
        throw err;
      }
      if (outcome.done) return outcome.replies.length ? runKey(deliveryKey(job.key), deliver) : [];
      if (outcome.why === 'failed') {
        await jobs.release(job.key, worker, retryAt(job, clock.now()));
        // Said once, not on every retry; best effort, as the scorecard that follows is what matters.
        if (job.attempts > 1 || !deliver) return job.attempts > 1 ? [] : [outcome.notice];
        await deliver([outcome.notice]).catch((err: unknown) => deps.log('sparring: could not say that grading failed', err));
        return [outcome.notice];
      }
      // The answer grew while it was graded: grade the whole of it.
    }
  }

  async function send(job: Job, deliver?: Deliver): Promise<Reply[]> {
    const replies = (job.payload as { replies?: Reply[] }).replies ?? [];
    try {
      if (deliver) await deps.applyReceipts(await deliver(replies));
    } catch (err) {
      deps.log('sparring: delivering replies failed; they are tried again shortly', err);
      await jobs.release(job.key, worker, retryAt(job, clock.now()));
      return [];
    }
    await jobs.finish(job.key, worker);
    return replies;
  }

  /**
   * Runs a claimed job and returns the replies it delivered. Without `deliver` the caller
   * delivers them, and the job counts as delivered once it has them.
   */
  async function run(job: Job, deliver?: Deliver): Promise<Reply[]> {
    try {
      return await holding(job.key, () => (job.kind === 'grade' ? grade(job, deliver) : send(job, deliver)));
    } catch (err) {
      deps.log(`sparring: job ${job.key} failed; it is tried again shortly`, err);
      await jobs.release(job.key, worker, retryAt(job, clock.now())).catch(() => undefined);
      return [];
    }
  }

  /** Frees the claims of workers known to be dead (a killed process on this machine). */
  async function freeTheDead(scope: JobScope): Promise<void> {
    if (!deps.isAlive) return;
    for (const holder of await jobs.holders(scope.platform, clock.now())) {
      if (holder !== worker && deps.isAlive(holder) === false) await jobs.abandon(holder);
    }
  }

  /** Runs the job now if nobody else is running it; returns what it delivered. */
  async function runKey(key: string, deliver?: Deliver, scope?: JobScope): Promise<Reply[]> {
    let job = await jobs.claim(key, worker, clock.now(), leaseMs);
    if (!job && scope) {
      await freeTheDead(scope);
      job = await jobs.claim(key, worker, clock.now(), leaseMs);
    }
    return job ? run(job, deliver) : [];
  }

  /** One pass over the due jobs in scope (a crash's leftovers, a dead process's, retries). */
  async function runDue(scope: JobScope, deliver?: Deliver): Promise<Reply[]> {
    await freeTheDead(scope);
    const due = await jobs.claimDue(scope, worker, clock.now(), leaseMs, BATCH);
    const done = await Promise.all(due.map((job) => run(job, deliver)));
    return done.flat();
  }

  /**
   * Runs `work` (state changes that produce replies) as one transaction with the outbox entry of
   * its replies, keyed `deliver:<of>`, then delivers them: a crash after the commit still sends them.
   */
  async function outboxed(of: string, place: JobPlace, work: () => Promise<Reply[]>, deliver?: Deliver): Promise<Reply[]> {
    const key = deliveryKey(of);
    const replies = await deps.atomically(async () => {
      const made = await work();
      if (made.length) await jobs.enqueue({ key, kind: 'deliver', place, runAt: clock.now(), payload: { replies: made } });
      return made;
    });
    return replies.length ? runKey(key, deliver) : [];
  }

  return { runKey, runDue, outboxed };
}
