import { AsyncLocalStorage } from 'node:async_hooks';
import type { Stores } from './store/ports.js';

/**
 * A test hook, not a setting: with SPARRING_FAILPOINT set, the process kills itself (SIGKILL,
 * as kill -9 would) when an answer reaches that step, so the crash tests can stop it at an
 * exact point (test/cli/kill-steps.test.ts). It watches the stores, so the core knows nothing:
 *   answered   the transaction storing an answer (and its grading job) has committed; the
 *              platform has not been told yet (Slack's 200 is still to come)
 *   graded     the transaction storing a grade with its outbox entry has committed; nothing delivered
 *   delivered  an outbox entry is about to be marked sent: its replies are out (or, where the
 *              caller shows them, handed over) but the entry is still there
 * Unset, the stores are returned as they are.
 */
export function withFailpoint(stores: Stores, step: string | undefined): Stores {
  if (!step) return stores;
  const die = () => process.kill(process.pid, 'SIGKILL');
  /** What the transaction this call runs in has written. */
  const wrote = new AsyncLocalStorage<Set<'answer' | 'outbox'>>();
  return {
    ...stores,
    practice: {
      ...stores.practice,
      recordAnswer: (...args) => {
        wrote.getStore()?.add('answer');
        return stores.practice.recordAnswer(...args);
      },
    },
    jobs: {
      ...stores.jobs,
      enqueue: (job) => {
        if (job.kind === 'deliver') wrote.getStore()?.add('outbox');
        return stores.jobs.enqueue(job);
      },
      finish: async (key, worker) => {
        if (step === 'delivered' && key.startsWith('deliver:')) die();
        return stores.jobs.finish(key, worker);
      },
    },
    atomically: async (work) => {
      if (wrote.getStore()) return stores.atomically(work);
      const seen = new Set<'answer' | 'outbox'>();
      const result = await stores.atomically(() => wrote.run(seen, work));
      if ((step === 'answered' && seen.has('answer')) || (step === 'graded' && seen.has('outbox'))) die();
      return result;
    },
  };
}
