import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './db.js';
import type { UnitOfWork } from '../core/kernel/jobs.js';

/**
 * SQLite transactions for work that awaits between its statements. better-sqlite3 has one
 * connection per process, so while one turn's transaction is open every other caller's
 * statement would land inside it: `gate` makes the other callers wait until it commits.
 * BEGIN IMMEDIATE takes the file's write lock, so another process's turn waits too.
 */
export function sqliteUnitOfWork(db: Db): { atomically: UnitOfWork; gate: <T extends object>(store: T) => T } {
  const inside = new AsyncLocalStorage<symbol>();
  let open: { token: symbol; done: Promise<void> } | undefined;
  const mustWait = () => open !== undefined && inside.getStore() !== open.token;
  const waitTurn = async () => {
    while (open && mustWait()) await open.done;
  };

  const atomically: UnitOfWork = async (work) => {
    if (open && !mustWait()) return work();
    await waitTurn();
    let finished!: () => void;
    const token = Symbol('transaction');
    open = { token, done: new Promise<void>((resolve) => (finished = resolve)) };
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await inside.run(token, work);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      open = undefined;
      finished();
    }
  };

  const gate = <T extends object>(store: T): T => {
    const gated = { ...store } as Record<string, unknown>;
    for (const [name, value] of Object.entries(store)) {
      if (typeof value !== 'function') continue;
      const method = value as (...args: unknown[]) => unknown;
      gated[name] = (...args: unknown[]) => (mustWait() ? waitTurn().then(() => method.apply(store, args)) : method.apply(store, args));
    }
    return gated as T;
  };
  return { atomically, gate };
}
