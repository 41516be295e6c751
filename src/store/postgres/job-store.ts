import { inJobScope, type Job, type Jobs } from '../../core/kernel/jobs.js';
import { jobValues, toJob, type JobRow } from '../rows.js';
import { all, one, run, type Pool } from './pool.js';

const CANDIDATES = 200;

/**
 * The job table (migration 006). A claim is one conditional UPDATE: of several replicas asking
 * for the same job, the row lock lets exactly one see it unheld.
 */
export function createJobStore(db: Pool): Jobs {
  const claim = async (key: string, worker: string, now: number, leaseMs: number) => {
    const row = await one<JobRow>(db,
      `UPDATE jobs SET claimed_by = $1, claim_until = $2, attempts = attempts + 1
        WHERE key = $3 AND (claim_until IS NULL OR claim_until < $4) RETURNING *`,
      [worker, now + leaseMs, key, now]);
    return row && toJob(row);
  };
  return {
    async enqueue(job) {
      await run(db,
        `INSERT INTO jobs (key, kind, platform, workspace, user_id, payload, run_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
        jobValues(job));
    },
    claim,
    async claimDue(scope, worker, now, leaseMs, limit) {
      // Read page by page (keyset on run_at, key): a shard's own jobs behind a dead shard's many are still reached.
      const page = (after: JobRow | undefined) => all<JobRow>(db,
        `SELECT * FROM jobs WHERE platform = $1 AND run_at <= $2 AND (claim_until IS NULL OR claim_until < $2)
            AND (run_at, key) > ($3::bigint, $4::text) ORDER BY run_at, key LIMIT ${CANDIDATES}`,
        [scope.platform, now, after?.run_at ?? Number.MIN_SAFE_INTEGER, after?.key ?? '']);
      const claimed: Job[] = [];
      for (let rows = await page(undefined); rows.length > 0 && claimed.length < limit; rows = await page(rows.at(-1))) {
        for (const j of rows.map(toJob)) {
          if (claimed.length >= limit || !inJobScope(scope, j.place)) continue;
          const got = await claim(j.key, worker, now, leaseMs);
          if (got) claimed.push(got);
        }
        if (rows.length < CANDIDATES) break;
      }
      return claimed;
    },
    async renew(keys, worker, until) {
      if (keys.length) await run(db, `UPDATE jobs SET claim_until = $1 WHERE key = ANY($2) AND claimed_by = $3`, [until, keys, worker]);
    },
    async finish(key, worker) {
      return (await run(db, `DELETE FROM jobs WHERE key = $1 AND claimed_by = $2`, [key, worker])) === 1;
    },
    async release(key, worker, runAt) {
      await run(db, `UPDATE jobs SET claimed_by = NULL, claim_until = NULL, run_at = $1 WHERE key = $2 AND claimed_by = $3`, [runAt, key, worker]);
    },
    async pending(key) {
      return (await one(db, `SELECT 1 FROM jobs WHERE key = $1`, [key])) !== undefined;
    },
    async holders(platform, now) {
      return (await all<{ claimed_by: string }>(db, `SELECT DISTINCT claimed_by FROM jobs WHERE platform = $1 AND claim_until >= $2`, [platform, now])).map((r) => r.claimed_by);
    },
    abandon: (worker) => run(db, `UPDATE jobs SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = $1`, [worker]),
  };
}
