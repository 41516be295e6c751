import { describe, expect, it } from 'vitest';
import { gradeJobKey, type JobPlace, type NewJob } from '../../src/core/kernel/jobs.js';
import type { Stores } from '../../src/store/ports.js';
import { MINUTE, person, room, T0, type StoreFixture } from './contract-support.js';

/**
 * The store contract, continued: the job table (core/kernel/jobs.ts) and `atomically`, the
 * transaction over every store. Several processes share one database, so the cases that matter
 * most use two store instances over the same database (`use().another()`), as two processes would.
 */

const LEASE = 1_000;
const slackT1: JobPlace = { platform: 'slack', workspace: 'T1' };
const job = (key: string, over: Partial<NewJob> = {}): NewJob => ({ key, kind: 'deliver', place: slackT1, runAt: T0, payload: { n: key }, ...over });
const sorted = (xs: readonly string[]) => [...xs].sort();
const tick = () => new Promise((r) => setTimeout(r, 30));

export function storeContractJobs(backend: string, s: () => Stores, use: () => StoreFixture): void {
  /** A user with a session and one question asked, for the transaction cases. */
  const askedTurn = async (st: Stores = s()) => {
    const ana = await st.practice.upsertUser(person('U1', 'Ana'));
    const session = await st.practice.createSession(ana.id, room('C1'), ['q1'], T0);
    return st.practice.addTurn({ sessionId: session.id, questionId: 'q1', kind: 'main', prompt: 'Why precision?', askedAt: T0 });
  };

  describe('jobs', () => {
    it('enqueue is idempotent by key: the first job stays as it was written', async () => {
      await s().jobs.enqueue(job('deliver:a', { payload: { first: true } }));
      await s().jobs.enqueue(job('deliver:a', { payload: { first: false }, runAt: T0 + MINUTE, kind: 'grade' }));
      const got = await s().jobs.claimDue({ platform: 'slack' }, 'w1', T0, LEASE, 10);
      expect(got).toEqual([{ key: 'deliver:a', kind: 'deliver', place: slackT1, runAt: T0, attempts: 1, payload: { first: true } }]);
    });

    it('of two claims of one key exactly one wins, one after the other and at once from two store instances', async () => {
      await s().jobs.enqueue(job('deliver:a'));
      expect(await s().jobs.claim('deliver:a', 'w1', T0, LEASE)).toMatchObject({ key: 'deliver:a', attempts: 1 });
      expect(await s().jobs.claim('deliver:a', 'w2', T0 + 1, LEASE)).toBeUndefined();
      expect(await s().jobs.claim('missing', 'w2', T0, LEASE)).toBeUndefined();

      const other = await use().another();
      const keys = Array.from({ length: 12 }, (_, i) => `deliver:race-${i}`);
      for (const key of keys) await s().jobs.enqueue(job(key));
      const [one, two] = await Promise.all([
        s().jobs.claimDue({ platform: 'slack' }, 'p1', T0 + 5, LEASE, 50),
        other.jobs.claimDue({ platform: 'slack' }, 'p2', T0 + 5, LEASE, 50),
      ]);
      const won = [...one!, ...two!].map((j) => j.key);
      expect(sorted(won), 'every due job claimed by exactly one of the two').toEqual(sorted(keys));
      const single = await Promise.all([s().jobs.claim('deliver:race-0', 'p3', T0 + 10 * LEASE, LEASE), other.jobs.claim('deliver:race-0', 'p4', T0 + 10 * LEASE, LEASE)]);
      expect(single.filter(Boolean), 'one winner of one expired key').toHaveLength(1);
    });

    it('a claim holds for its lease (longer when renewed) and can be taken once it runs out', async () => {
      await s().jobs.enqueue(job('deliver:a'));
      await s().jobs.claim('deliver:a', 'w1', T0, LEASE);
      expect(await s().jobs.claim('deliver:a', 'w2', T0 + LEASE - 1, LEASE)).toBeUndefined();
      expect(await s().jobs.claimDue({ platform: 'slack' }, 'w2', T0 + LEASE - 1, LEASE, 10)).toEqual([]);
      await s().jobs.renew(['deliver:a'], 'w2', T0 + 10 * LEASE); // not the holder: nothing changes
      await s().jobs.renew(['deliver:a'], 'w1', T0 + 3 * LEASE);
      expect(await s().jobs.claim('deliver:a', 'w2', T0 + 2 * LEASE, LEASE)).toBeUndefined();
      expect(await s().jobs.claim('deliver:a', 'w2', T0 + 3 * LEASE + 1, LEASE)).toMatchObject({ key: 'deliver:a', attempts: 2 });
      expect((await s().jobs.claimDue({ platform: 'slack' }, 'w3', T0 + 5 * LEASE, LEASE, 10)).map((j) => [j.key, j.attempts])).toEqual([['deliver:a', 3]]);
    });

    it('finish by a worker that lost its claim returns false and leaves the job; its holder finishes it', async () => {
      await s().jobs.enqueue(job('deliver:a'));
      await s().jobs.claim('deliver:a', 'w1', T0, LEASE);
      await s().jobs.claim('deliver:a', 'w2', T0 + LEASE + 1, LEASE);
      expect(await s().jobs.finish('deliver:a', 'w1')).toBe(false);
      expect(await s().jobs.pending('deliver:a')).toBe(true);
      expect(await s().jobs.finish('deliver:a', 'w2')).toBe(true);
      expect(await s().jobs.pending('deliver:a')).toBe(false);
      expect(await s().jobs.finish('deliver:a', 'w2')).toBe(false);
    });

    it('release lets the job go, due again at runAt; a worker not holding it cannot release it', async () => {
      await s().jobs.enqueue(job('deliver:a'));
      await s().jobs.claim('deliver:a', 'w1', T0, LEASE);
      await s().jobs.release('deliver:a', 'w2', T0);
      expect(await s().jobs.claim('deliver:a', 'w2', T0 + 1, LEASE), 'still held by w1').toBeUndefined();
      await s().jobs.release('deliver:a', 'w1', T0 + MINUTE);
      expect(await s().jobs.claimDue({ platform: 'slack' }, 'w2', T0 + MINUTE - 1, LEASE, 10)).toEqual([]);
      expect((await s().jobs.claimDue({ platform: 'slack' }, 'w2', T0 + MINUTE, LEASE, 10)).map((j) => [j.key, j.runAt, j.attempts])).toEqual([['deliver:a', T0 + MINUTE, 2]]);
    });

    it('claimDue takes only due jobs in scope (platform, workspace, user), oldest first, up to the limit', async () => {
      await s().jobs.enqueue(job('slack-t1-late', { runAt: T0 + 2 }));
      await s().jobs.enqueue(job('slack-t1-early', { runAt: T0 + 1 }));
      await s().jobs.enqueue(job('slack-t1-future', { runAt: T0 + MINUTE }));
      await s().jobs.enqueue(job('slack-t2', { place: { platform: 'slack', workspace: 'T2' } }));
      await s().jobs.enqueue(job('discord-t1', { place: { platform: 'discord', workspace: 'T1' } }));
      await s().jobs.enqueue(job('cli-ana', { place: { platform: 'cli', workspace: 'local', userId: 'ana' } }));
      await s().jobs.enqueue(job('cli-bob', { place: { platform: 'cli', workspace: 'local', userId: 'bob' } }));
      const now = T0 + 10;
      const HOUR = 60 * MINUTE; // claims here outlast the case, so each job is taken once
      const keys = async (scope: Parameters<Stores['jobs']['claimDue']>[0], limit = 10) => (await s().jobs.claimDue(scope, 'w', now, HOUR, limit)).map((j) => j.key);

      expect(await keys({ platform: 'slack', workspace: (w) => w === 'T1' }, 1)).toEqual(['slack-t1-early']);
      expect(await keys({ platform: 'slack', workspace: (w) => w === 'T1' })).toEqual(['slack-t1-late']);
      expect(await keys({ platform: 'cli', userId: 'ana' })).toEqual(['cli-ana']);
      const bob = await s().jobs.claimDue({ platform: 'cli', userId: 'bob' }, 'w', now, HOUR, 10);
      expect(bob).toEqual([expect.objectContaining({ key: 'cli-bob', place: { platform: 'cli', workspace: 'local', userId: 'bob' } })]);
      expect(await keys({ platform: 'discord' })).toEqual(['discord-t1']);
      expect(await keys({ platform: 'slack' })).toEqual(['slack-t2']);
      expect(await s().jobs.pending('slack-t1-future')).toBe(true);
      expect(await s().jobs.claimDue({ platform: 'slack' }, 'w', T0 + MINUTE, LEASE, 10)).toEqual([expect.objectContaining({ key: 'slack-t1-future' })]);
    });

    // Both job stores filter the scope in JS over pages of the platform's due jobs: a Discord shard
    // whose servers' jobs sit behind a dead shard's many must still reach them.
    it('claimDue finds a shard\'s due job behind 200 due jobs of servers outside its scope', async () => {
      for (let i = 0; i < 201; i++) await s().jobs.enqueue(job(`dead-${i}`, { place: { platform: 'discord', workspace: 'G-dead' } }));
      await s().jobs.enqueue(job('live', { place: { platform: 'discord', workspace: 'G-live' }, runAt: T0 + 1 }));
      const mine = await s().jobs.claimDue({ platform: 'discord', workspace: (w) => w === 'G-live' }, 'shard-1', T0 + 10, LEASE, 20);
      expect(mine.map((j) => j.key)).toEqual(['live']);
    });

    it('holders names the workers with live claims on a platform; abandon frees a dead worker\'s claims at once', async () => {
      for (const key of ['a', 'b', 'c']) await s().jobs.enqueue(job(key));
      await s().jobs.enqueue(job('d', { place: { platform: 'discord', workspace: 'T1' } }));
      await s().jobs.claim('a', 'dead', T0, LEASE);
      await s().jobs.claim('b', 'dead', T0, LEASE);
      await s().jobs.claim('c', 'alive', T0, LEASE);
      await s().jobs.claim('d', 'elsewhere', T0, LEASE);
      expect(sorted(await s().jobs.holders('slack', T0 + 1))).toEqual(['alive', 'dead']);
      expect(await s().jobs.holders('slack', T0 + LEASE + 1), 'expired claims hold nothing').toEqual([]);

      expect(await s().jobs.abandon('dead')).toBe(2);
      expect(await s().jobs.holders('slack', T0 + 1)).toEqual(['alive']);
      expect((await s().jobs.claimDue({ platform: 'slack' }, 'taker', T0 + 1, LEASE, 10)).map((j) => j.key).sort()).toEqual(['a', 'b']);
      expect(await s().jobs.finish('a', 'dead')).toBe(false);
      expect(await s().jobs.abandon('nobody')).toBe(0);
    });

    it('recordAnswer writes the answer\'s grading job with it, in the session\'s place', async () => {
      const turn = await askedTurn();
      await s().practice.recordAnswer(turn.id, 'precision and recall', T0 + MINUTE);
      const [grading] = await s().jobs.claimDue({ platform: 'slack', workspace: (w) => w === 'T1' }, 'w', T0 + MINUTE, LEASE, 10);
      expect(grading).toMatchObject({ key: gradeJobKey(turn.id), kind: 'grade', place: { platform: 'slack', workspace: 'T1', userId: 'U1' }, runAt: T0 + MINUTE });
    });
  });

  describe('atomically', () => {
    it('rolls back every store\'s writes when the work throws: no answer, no job', async () => {
      const turn = await askedTurn();
      const failing = s().atomically(async () => {
        await s().practice.recordAnswer(turn.id, 'lost with the transaction', T0 + MINUTE);
        await s().jobs.enqueue(job('deliver:rolled-back'));
        throw new Error('boom');
      });
      await expect(failing).rejects.toThrow('boom');
      expect(await s().practice.findTurn(turn.id)).toMatchObject({ status: 'asked' });
      expect((await s().practice.findTurn(turn.id))?.answer).toBeUndefined();
      expect(await s().jobs.pending(gradeJobKey(turn.id))).toBe(false);
      expect(await s().jobs.pending('deliver:rolled-back')).toBe(false);
      const reopened = await use().reopen();
      expect(await reopened.jobs.pending(gradeJobKey(turn.id))).toBe(false);
    });

    it('commits them together otherwise; another instance sees none of them until the commit, then all', async () => {
      const turn = await askedTurn();
      const other = await use().another();
      let go!: () => void;
      const held = new Promise<void>((r) => (go = r));
      const committing = s().atomically(async () => {
        await s().practice.recordAnswer(turn.id, 'kept', T0 + MINUTE);
        await s().jobs.enqueue(job('deliver:kept'));
        await held;
        return 'done';
      });
      await tick();
      expect(await other.jobs.pending('deliver:kept'), 'not visible before the commit').toBe(false);
      expect((await other.practice.findTurn(turn.id))?.status).toBe('asked');
      go();
      expect(await committing).toBe('done');
      expect(await other.jobs.pending('deliver:kept')).toBe(true);
      expect(await other.jobs.pending(gradeJobKey(turn.id))).toBe(true);
      expect(await other.practice.findTurn(turn.id)).toMatchObject({ status: 'answered', answer: 'kept' });
    });

    it('a write by an unrelated caller while a transaction is open is not rolled back with it' + (backend === 'sqlite' ? ' (it waits for the transaction to end)' : ''), async () => {
      const turn = await askedTurn();
      const order: string[] = [];
      let go!: () => void;
      const held = new Promise<void>((r) => (go = r));
      const failing = s().atomically(async () => {
        await s().practice.recordAnswer(turn.id, 'rolled back', T0 + MINUTE);
        await held;
        order.push('rollback');
        throw new Error('boom');
      });
      await tick();
      const outside = s().jobs.enqueue(job('deliver:outside')).then(() => order.push('outside'));
      await tick();
      if (backend === 'sqlite') expect(order, 'waiting for the open transaction').toEqual([]);
      go();
      await expect(failing).rejects.toThrow('boom');
      await outside;
      if (backend === 'sqlite') expect(order).toEqual(['rollback', 'outside']);
      expect(await s().jobs.pending('deliver:outside')).toBe(true);
      expect(await s().jobs.pending(gradeJobKey(turn.id))).toBe(false);
      expect((await s().practice.findTurn(turn.id))?.status).toBe('asked');
    });
  });
}
