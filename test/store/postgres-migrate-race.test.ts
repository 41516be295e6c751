import pg from 'pg';
import { expect, it } from 'vitest';
import { loadPostgresMigrations } from '../../src/store/postgres/migrate.js';
import { atOnce, distModule } from '../support/race.js';
import { describePostgres, scratchDatabases } from './postgres-support.js';

const freshDatabase = scratchDatabases();

describePostgres('processes migrating one fresh PostgreSQL database at once', () => {
  it('all succeed, and each migration is applied once', async () => {
    const migrations = loadPostgresMigrations();
    for (let round = 0; round < 3; round++) {
      const scratch = await freshDatabase();
      const runs = await atOnce(
        `const { connectPostgres } = await import(${JSON.stringify(distModule('store/postgres/index.js'))});`,
        `const { pool, version } = await connectPostgres(process.env.URL);
         await pool.end();
         if (version !== ${migrations.at(-1)!.version}) throw new Error('schema version ' + version);`,
        { count: 3, env: { URL: scratch.url } },
      );
      expect(runs.map((r) => r.stderr)).toEqual(['', '', '']);
      expect(runs.map((r) => r.status)).toEqual([0, 0, 0]);

      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      await client.end();
      expect(applied.rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    }
  });
});
