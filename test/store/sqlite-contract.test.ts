import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stores } from '../../src/store/ports.js';
import { openSqliteStores } from '../../src/store/sqlite.js';
import { storeContract } from './contract.js';

// A real file, not :memory:, so reopening it shows what a restarted process would find.
storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-store-'));
  const file = join(dir, 'sparring.db');
  let stores: Stores = openSqliteStores(file);
  const others: Stores[] = [];
  return {
    get stores() {
      return stores;
    },
    async reopen() {
      await stores.close();
      stores = openSqliteStores(file);
      return stores;
    },
    async another() {
      const other = openSqliteStores(file);
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
