import type { Stores } from '../../src/store/ports.js';
import { openPostgresStores } from '../../src/store/postgres/index.js';
import { storeContract } from './contract.js';
import { describePostgres, freshSchema } from './postgres-support.js';

// Each case gets its own schema, dropped afterwards; reopening makes a new pool, as a restarted process would.
describePostgres('postgres backend', () => {
  storeContract('postgres', async () => {
    const scratch = await freshSchema();
    let stores: Stores = await openPostgresStores(scratch.url);
    const others: Stores[] = [];
    return {
      get stores() {
        return stores;
      },
      async reopen() {
        await stores.close();
        stores = await openPostgresStores(scratch.url);
        return stores;
      },
      async another() {
        const other = await openPostgresStores(scratch.url);
        others.push(other);
        return other;
      },
      async close() {
        for (const other of others) await other.close();
        await stores.close();
        await scratch.drop();
      },
    };
  });
});
