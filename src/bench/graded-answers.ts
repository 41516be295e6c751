import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createMemoryAdapter } from '../adapters/memory/index.js';
import type { Catalog } from '../content/load.js';
import { createApp } from '../app.js';
import { ConfigSchema } from '../config.js';
import type { Stores } from '../store/ports.js';
import { openPostgresStores } from '../store/postgres/index.js';

/**
 * Graded answers per second through the bot and a store (memory adapter, offline grader):
 * `grades_per_second` is the grader alone, this adds every read and write an answer makes,
 * so SQLite and PostgreSQL can be set side by side. People answer at once, each in turn.
 */
export async function measureGradedAnswers(catalog: Catalog, stores: Stores, texts: string[], people = 20, answers = 3): Promise<number> {
  const app = await createApp(ConfigSchema.parse({}), { catalog, stores, log: () => {} });
  try {
    const room = createMemoryAdapter({ bot: app.bot, record: false });
    const round = async (from: number, count: number) => {
      const users = Array.from({ length: count }, (_, i) => room.user(`bench-${from + i}`));
      await Promise.all(users.map((u) => u.command('practice', '5')));
      const t0 = performance.now();
      await Promise.all(users.map(async (u, i) => {
        for (let k = 0; k < answers; k++) await u.say(texts[(i * answers + k) % texts.length]!);
      }));
      return (count * answers) / ((performance.now() - t0) / 1000);
    };
    await round(0, 5); // warm-up
    return await round(1000, people);
  } finally {
    await app.close();
  }
}

/** The same on PostgreSQL, in a schema of its own that is dropped afterwards. */
export async function measureGradedAnswersPostgres(catalog: Catalog, url: string, texts: string[]): Promise<number> {
  const schema = `sparring_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    return await measureGradedAnswers(catalog, await openPostgresStores(scoped.toString()), texts);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}
