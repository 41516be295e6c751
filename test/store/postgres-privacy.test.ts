import { afterAll, beforeAll, expect, it } from 'vitest';
import { FORGET_USER_ROW, forgetBatches, planBatch, planForget, planRetention, retentionBatches, type ForgetUserRow } from '../../src/store/privacy-plan.js';
import { connectPostgres } from '../../src/store/postgres/index.js';
import { numbered, type Pool } from '../../src/store/postgres/pool.js';
import { readSchemaKeys } from '../../src/store/postgres/privacy.js';
import { describePostgres, freshSchema, type Scratch } from './postgres-support.js';

const NOW = Date.UTC(2026, 5, 1);

describePostgres('postgres forget-me and retention', () => {
  let scratch: Scratch;
  let pool: Pool;
  beforeAll(async () => {
    scratch = await freshSchema();
    pool = (await connectPostgres(scratch.url)).pool;
  });
  afterAll(async () => {
    await pool.end();
    await scratch.drop();
  });

  // On an empty table the planner rightly prefers a sequential scan; with it priced out, a
  // statement that still reads a whole table has no index to use.
  it('finds every row it deletes through an index, never by reading a whole table', async () => {
    const { rows: [user] } = await pool.query<{ id: number }>(
      `INSERT INTO users (key, platform, workspace, external_id, display_name, created_at) VALUES ('slack:T1:U1', 'slack', 'T1', 'U1', 'Ana', 0) RETURNING id`);
    const keys = await readSchemaKeys(pool);
    const row = (await pool.query<ForgetUserRow>(numbered(FORGET_USER_ROW), [user!.id])).rows[0]!;
    const statements = [
      ...planForget(keys, user!.id, row),
      ...planRetention(keys, 90, NOW),
      ...[...forgetBatches(keys, user!.id), ...retentionBatches(keys, 90, NOW)].flatMap((b) => [{ sql: b.select, params: b.params }, ...planBatch(keys, b, [1, 2, 3])]),
    ];
    const client = await pool.connect();
    const scans: string[] = [];
    try {
      await client.query('SET enable_seqscan = off');
      for (const step of statements) {
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${numbered(step.sql)}`, step.params)).rows.map((r) => r['QUERY PLAN']);
        for (const line of plan) if (/Seq Scan/.test(line)) scans.push(`${line.trim()}  <-  ${step.sql}`);
      }
    } finally {
      client.release();
    }
    expect(scans).toEqual([]);
  });
});
