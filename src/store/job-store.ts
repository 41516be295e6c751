import type { Db } from './db.js';
import { inJobScope, type Job, type Jobs } from '../core/kernel/jobs.js';
import { jobValues, toJob, type JobRow } from './rows.js';

/**
 * The grading job of an answer just stored (`?` = now, turn id), written with it so a stored
 * answer always has one; its key is core's `gradeJobKey`. Shared by both backends.
 */
export const GRADE_JOB_SQL = `INSERT INTO jobs (key, kind, platform, workspace, user_id, payload, run_at)
  SELECT 'grade:' || t.id, 'grade', s.platform, s.workspace, u.external_id, '{}', ?
    FROM turns t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
   WHERE t.id = ? ON CONFLICT (key) DO NOTHING`;

/** Candidates read per page of claimDue; the scope filter (a shard's servers) runs on them in JS. */
const CANDIDATES = 200;

/** The job table (migration 009). A claim is one conditional UPDATE, so two processes never both win one. */
export function createJobStore(db: Db): Jobs {
  const q = {
    enqueue: db.prepare(
      `INSERT INTO jobs (key, kind, platform, workspace, user_id, payload, run_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`,
    ),
    claim: db.prepare(
      `UPDATE jobs SET claimed_by = ?, claim_until = ?, attempts = attempts + 1
        WHERE key = ? AND (claim_until IS NULL OR claim_until < ?) RETURNING *`,
    ),
    // Read page by page (keyset on run_at, key): a shard's own jobs behind a dead shard's many are still reached.
    due: db.prepare(
      `SELECT * FROM jobs WHERE platform = ? AND run_at <= ? AND (claim_until IS NULL OR claim_until < ?)
          AND (run_at > ? OR (run_at = ? AND key > ?)) ORDER BY run_at, key LIMIT ${CANDIDATES}`,
    ),
    renew: db.prepare(`UPDATE jobs SET claim_until = ? WHERE key = ? AND claimed_by = ?`),
    finish: db.prepare(`DELETE FROM jobs WHERE key = ? AND claimed_by = ?`),
    release: db.prepare(`UPDATE jobs SET claimed_by = NULL, claim_until = NULL, run_at = ? WHERE key = ? AND claimed_by = ?`),
    pending: db.prepare(`SELECT 1 FROM jobs WHERE key = ?`).pluck(),
    holders: db.prepare(`SELECT DISTINCT claimed_by FROM jobs WHERE platform = ? AND claim_until >= ?`).pluck(),
    abandon: db.prepare(`UPDATE jobs SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = ?`),
  };
  const claim = (key: string, worker: string, now: number, leaseMs: number) => {
    const row = q.claim.get(worker, now + leaseMs, key, now) as JobRow | undefined;
    return row && toJob(row);
  };
  return {
    async enqueue(job) {
      q.enqueue.run(...jobValues(job));
    },
    async claim(key, worker, now, leaseMs) {
      return claim(key, worker, now, leaseMs);
    },
    async claimDue(scope, worker, now, leaseMs, limit) {
      const page = (after: JobRow | undefined) =>
        q.due.all(scope.platform, now, now, after?.run_at ?? -Infinity, after?.run_at ?? -Infinity, after?.key ?? '') as JobRow[];
      const claimed: Job[] = [];
      for (let rows = page(undefined); rows.length > 0 && claimed.length < limit; rows = page(rows.at(-1))) {
        for (const j of rows.map(toJob)) {
          if (claimed.length >= limit || !inJobScope(scope, j.place)) continue;
          const got = claim(j.key, worker, now, leaseMs);
          if (got) claimed.push(got);
        }
        if (rows.length < CANDIDATES) break;
      }
      return claimed;
    },
    async renew(keys, worker, until) {
      for (const key of keys) q.renew.run(until, key, worker);
    },
    async finish(key, worker) {
      return q.finish.run(key, worker).changes === 1;
    },
    async release(key, worker, runAt) {
      q.release.run(runAt, key, worker);
    },
    async pending(key) {
      return q.pending.get(key) !== undefined;
    },
    async holders(platform, now) {
      return q.holders.all(platform, now) as string[];
    },
    async abandon(worker) {
      return q.abandon.run(worker).changes;
    },
  };
}
