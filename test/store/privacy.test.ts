import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { openDatabase } from '../../src/store/db.js';
import { createDrillStore } from '../../src/store/drill-store.js';
import { createPlatformState } from '../../src/store/platform-state.js';
import { createPracticeStore } from '../../src/store/practice-store.js';
import { applyRetention, forgetUser, readSchemaKeys } from '../../src/store/privacy.js';
import { FORGET_USER_ROW, forgetBatches, planBatch, planForget, planRetention, retentionBatches, type ForgetUserRow } from '../../src/store/privacy-plan.js';
import { createScheduleStore } from '../../src/store/schedule-store.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 1);
const room = (channel: string) => ({ platform: 'slack' as const, workspace: 'T1', channel });
const actor = (userId: string, displayName: string) => ({ platform: 'slack' as const, workspace: 'T1', userId, displayName, isBot: false });

/** Alice (to be forgotten) and Bob (to be kept), with something of each in every table. */
async function world(db: Db = openDatabase(':memory:')) {
  const store = createPracticeStore(db);
  const drills = createDrillStore(db);
  const schedules = createScheduleStore(db);
  const platform = createPlatformState(db, () => NOW);
  const alice = await store.upsertUser(actor('UALICE77', 'Alice Zephyrine'));
  const bob = await store.upsertUser(actor('UBOB42', 'Bob Quimby'));
  const turnIds: Record<string, number> = {};
  for (const [u, who] of [[alice, 'alice'], [bob, 'bob']] as const) {
    const s = await store.createSession(u.id, room(`D-${who}`), ['q1', 'q2'], NOW - DAY);
    const t = await store.addTurn({ sessionId: s.id, questionId: 'q1', kind: 'main', prompt: 'Tell me about a time…', askedAt: NOW - DAY });
    await store.recordAnswer(t.id, `${who}'s answer`, NOW - DAY);
    turnIds[who] = t.id;
    await schedules.record(u.id, 'q1', 40, NOW - DAY);
    await platform.setThreadOwner({ platform: 'slack', workspace: 'T1', channel: 'C1', thread: `ts-${who}` }, who === 'alice' ? 'UALICE77' : 'UBOB42');
    const named = who === 'alice' ? actor('UALICE77', 'Alice Zephyrine') : actor('UBOB42', 'Bob Quimby');
    await platform.rememberDisplayName(named);
  }
  // Alice runs drill 1 (Bob takes part); Bob runs drill 2 (Alice takes part and talks).
  const d1 = await drills.createDrill('fraud-drift', room('C-d1'), alice.id, NOW - DAY);
  await drills.join(d1.id, bob.id, 'ml-engineer', NOW - DAY);
  await drills.addEvent(d1.id, { at: NOW - DAY, kind: 'message', userId: bob.id, role: 'ml-engineer', value: 'bob in d1' });
  const d2 = await drills.createDrill('fraud-drift', room('C-d2'), bob.id, NOW - DAY);
  await drills.join(d2.id, alice.id, 'incident-commander', NOW - DAY);
  await drills.join(d2.id, bob.id, 'ml-engineer', NOW - DAY);
  await drills.addEvent(d2.id, { at: NOW - DAY, kind: 'message', userId: alice.id, role: 'incident-commander', value: 'I am Alice Zephyrine, roll back' });
  await drills.addEvent(d2.id, { at: NOW - DAY, kind: 'action', userId: alice.id, role: 'incident-commander', ref: 'rollback', detail: 'roll back' });
  await drills.addEvent(d2.id, { at: NOW - DAY, kind: 'message', userId: bob.id, role: 'ml-engineer', value: 'agreed' });
  await drills.addEvent(d2.id, { at: NOW - DAY, kind: 'inject', ref: 'start' });
  // Mock interviews: Bob interviews Alice; Alice sits on the panel of Bob's interview of Carol.
  const carol = await store.upsertUser(actor('UCAROL9', 'Carol Vance'));
  const mock = db.prepare(
    `INSERT INTO mock_interviews (manager_id, candidate_id, session_id, platform, workspace, manager_channel, status, created_at)
     VALUES (?, ?, NULL, 'slack', 'T1', 'C-mgr', 'active', ?) RETURNING id`,
  );
  const m1 = (mock.get(bob.id, alice.id, NOW) as { id: number }).id;
  const m2 = (mock.get(bob.id, carol.id, NOW) as { id: number }).id;
  db.prepare(`INSERT INTO mock_panel (mock_id, user_id, added_at) VALUES (?, ?, ?)`).run(m1, bob.id, NOW);
  db.prepare(`INSERT INTO mock_panel (mock_id, user_id, added_at) VALUES (?, ?, ?)`).run(m2, alice.id, NOW);
  db.prepare(`INSERT INTO mock_panel (mock_id, user_id, added_at) VALUES (?, ?, ?)`).run(m2, bob.id, NOW);
  db.prepare(`INSERT INTO mock_scores (mock_id, turn_id, scorer_id, score, notes, at) VALUES (?, ?, ?, 60, 'alice: solid', ?)`).run(m2, turnIds.bob, alice.id, NOW);
  db.prepare(`INSERT INTO mock_scores (mock_id, turn_id, scorer_id, score, notes, at) VALUES (?, ?, ?, 70, 'bob: good', ?)`).run(m2, turnIds.bob, bob.id, NOW);
  return { db, store, drills, schedules, alice, bob, carol, d1, d2, m1, m2 };
}

const tables = (db: Db) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name);

/** Every place in the database that still mentions the user: by id in a users reference, or by key, platform id or name anywhere. */
function mentions(db: Db, user: { id: number; key: string }, words: string[]): string[] {
  const found: string[] = [];
  for (const table of tables(db)) {
    const refs = new Set((db.pragma(`foreign_key_list("${table}")`) as { table: string; from: string }[]).filter((f) => f.table === 'users').map((f) => f.from));
    const cols = (db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
    for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
      for (const col of cols) {
        const v = row[col];
        if ((refs.has(col) || (table === 'users' && col === 'id')) && v === user.id) found.push(`${table}.${col} = id`);
        if (typeof v === 'string' && [user.key, ...words].some((w) => v.includes(w))) found.push(`${table}.${col} = ${v}`);
      }
    }
  }
  return found;
}

const count = (db: Db, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;

describe('forgetUser', () => {
  it('leaves no row in any table that mentions the user, and keeps everyone else', async () => {
    const w = await world();
    const words = ['Alice Zephyrine', 'UALICE77', "alice's answer", 'alice: solid'];
    expect(mentions(w.db, w.alice, words).length).toBeGreaterThan(10);
    const tablesTouched = tables(w.db).filter((t) => count(w.db, t) > 0);
    expect(tablesTouched).toEqual(expect.arrayContaining(['users', 'sessions', 'turns', 'question_schedule', 'drills', 'drill_participants', 'drill_events', 'platform_threads', 'mock_interviews', 'mock_panel', 'mock_scores']));

    const counts = await forgetUser(w.db, w.alice.id);

    expect(mentions(w.db, w.alice, words)).toEqual([]);
    expect(counts.deleted).toMatchObject({
      users: 1, sessions: 1, turns: 1, question_schedule: 1, drills: 1, platform_threads: 1, mock_scores: 1,
    });
    expect(counts.deleted.drill_events).toBe(3); // her two in drill 2, and Bob's in her drill 1
    expect(counts.total).toBeGreaterThan(10);
    // Bob and Carol keep theirs.
    expect((await w.store.userById(w.bob.id))?.displayName).toBe('Bob Quimby');
    expect(await w.store.history(w.bob.id, 10)).toHaveLength(1);
    expect((await w.schedules.schedules(w.bob.id)).size).toBe(1);
    expect(await w.drills.getDrill(w.d2.id)).toBeDefined();
    expect(await w.drills.getDrill(w.d1.id)).toBeUndefined();
    expect((await w.drills.participants(w.d2.id)).map((p) => p.displayName)).toEqual(['Bob Quimby']);
    expect((await w.drills.events(w.d2.id)).map((e) => e.value ?? e.ref)).toEqual(['agreed', 'start']);
    expect(count(w.db, 'mock_interviews')).toBe(1); // Bob's interview of Carol stays; the one of Alice goes
    expect(w.db.prepare(`SELECT scorer_id FROM mock_scores`).all()).toEqual([{ scorer_id: w.bob.id }]);
    expect(w.db.prepare(`SELECT user_id FROM mock_panel ORDER BY user_id`).all()).toEqual([{ user_id: w.bob.id }]);
    expect(mentions(w.db, w.bob, ['Bob Quimby']).length).toBeGreaterThan(0);
  });

  it('works the same with foreign keys switched off, and is a no-op for an unknown user', async () => {
    const db = openDatabase(':memory:');
    db.pragma('foreign_keys = OFF');
    const w = await world(db);
    await forgetUser(db, w.alice.id);
    expect(mentions(db, w.alice, ['Alice Zephyrine', 'UALICE77', "alice's answer"])).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]); // nothing left dangling
    expect(await forgetUser(db, 9999)).toEqual({ deleted: {}, cleaned: {}, total: 0 });
  });

  it('sets a nullable reference to NULL rather than deleting someone else\'s row', async () => {
    const db = openDatabase(':memory:');
    db.exec(`CREATE TABLE reviews (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, reviewer_id INTEGER REFERENCES users(id) ON DELETE SET NULL)`);
    const w = await world(db);
    db.prepare(`INSERT INTO reviews (subject, reviewer_id) VALUES ('carol', ?)`).run(w.alice.id);
    const counts = await forgetUser(db, w.alice.id);
    expect(db.prepare(`SELECT subject, reviewer_id FROM reviews`).all()).toEqual([{ subject: 'carol', reviewer_id: null }]);
    expect(counts.cleaned.reviews).toBe(1);
  });
});

describe('applyRetention', () => {
  it('deletes sessions older than the limit and drills that ended before it, and keeps recent ones', async () => {
    const w = await world();
    const { db, store, drills, alice } = w;
    const old = await store.createSession(alice.id, room('D-old'), ['q1'], NOW - 100 * DAY);
    await store.addTurn({ sessionId: old.id, questionId: 'q1', kind: 'main', prompt: 'old', askedAt: NOW - 100 * DAY });
    const oldDrill = await drills.createDrill('fraud-drift', room('C-old'), alice.id, NOW - 120 * DAY);
    await drills.addEvent(oldDrill.id, { at: NOW - 120 * DAY, kind: 'inject', ref: 'start' });
    await drills.setStatus(oldDrill.id, 'ended', NOW - 100 * DAY);
    const oldButRunning = await drills.createDrill('fraud-drift', room('C-run'), alice.id, NOW - 120 * DAY);
    const endedRecently = await drills.createDrill('fraud-drift', room('C-new'), alice.id, NOW - 120 * DAY);
    await drills.setStatus(endedRecently.id, 'ended', NOW - 10 * DAY);
    const sessionsBefore = count(db, 'sessions');
    const turnsBefore = count(db, 'turns');

    const counts = await applyRetention(db, 90, NOW);

    expect(counts.deleted).toMatchObject({ sessions: 1, turns: 1, drills: 1, drill_events: 1 });
    expect(await store.getSession(old.id)).toBeUndefined();
    expect(count(db, 'sessions')).toBe(sessionsBefore - 1);
    expect(count(db, 'turns')).toBe(turnsBefore - 1);
    expect(await drills.getDrill(oldDrill.id)).toBeUndefined();
    expect(await drills.getDrill(oldButRunning.id)).toBeDefined();
    expect(await drills.getDrill(endedRecently.id)).toBeDefined();
    expect((await w.schedules.schedules(alice.id)).size).toBe(1);
    expect((await applyRetention(db, 90, NOW)).total).toBe(0);
    await expect(applyRetention(db, 0, NOW)).rejects.toThrow(RangeError);
  });
});

describe('the cost of forgetting and retention', () => {
  it('gives the event loop back between batches, so other users are served while a heavy user is forgotten', async () => {
    const w = await world();
    for (let i = 0; i < 30; i++) await w.store.createSession(w.alice.id, room(`D-${i}`), ['q1'], NOW - DAY);
    let servedMeanwhile = 0;
    const other = setInterval(() => servedMeanwhile++, 0);
    const done = forgetUser(w.db, w.alice.id, 4);
    await done;
    clearInterval(other);
    expect(servedMeanwhile).toBeGreaterThan(1);
    expect(mentions(w.db, w.alice, ['Alice Zephyrine', 'UALICE77'])).toEqual([]);
    expect(count(w.db, 'sessions')).toBe(1); // Bob's
  });

  it('finds every row it deletes through an index, never by reading a whole table', async () => {
    const w = await world();
    const keys = readSchemaKeys(w.db);
    const user = w.db.prepare(FORGET_USER_ROW).get(w.alice.id) as ForgetUserRow;
    const plans = [
      ...planForget(keys, w.alice.id, user),
      ...planRetention(keys, 90, NOW),
      ...[...forgetBatches(keys, w.alice.id), ...retentionBatches(keys, 90, NOW)].flatMap((b) => [
        { sql: b.select, params: b.params },
        ...planBatch(keys, b, [1, 2, 3]),
      ]),
    ];
    const scans = plans.flatMap((step) =>
      (w.db.prepare(`EXPLAIN QUERY PLAN ${step.sql}`).all(...step.params) as { detail: string }[])
        .map((r) => r.detail)
        .filter((d) => /^SCAN /.test(d))
        .map((d) => `${d}  <-  ${step.sql}`));
    expect(scans).toEqual([]);
  });
});
