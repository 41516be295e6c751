import { describe, expect, it } from 'vitest';
import { catalog, harness } from '../support/harness.js';

const DAY = 24 * 60 * 60_000;

describe('spaced repetition through practice', () => {
  it('brings a low-scored question back first once it is due', async () => {
    const h = await harness();
    const u = h.room.user('U1', 'Ana');
    const [weak, strong] = [...catalog().questions.values()].filter((q) => q.kind === 'technical');
    await u.command('practice', weak!.id, strong!.id);
    await u.say('I am not sure, maybe look at the data.');
    await u.command('next');
    await u.say(strong!.modelAnswer);
    await u.command('end');

    h.clock.advance(2 * DAY);
    const [question] = await u.command('practice', '3');
    expect(question!.text).toContain(weak!.prompt);
  });
});

describe('progress', () => {
  it('shows averages per competency, what comes back for review, and a chart image', async () => {
    const h = await harness();
    const u = h.room.user('U1', 'Ana');
    const q = [...catalog().questions.values()].find((x) => x.kind === 'technical')!;
    await u.command('practice', q.id);
    await u.say(q.modelAnswer);
    await u.command('end');
    const [reply] = await u.command('progress');
    expect(reply!.text).toMatch(/1 graded answer/);
    expect(reply!.sections![0]!.fields![0]![0]).toBe(q.competency);
    const png = Buffer.from(reply!.attachments![0]!.base64, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(reply!.actions![0]).toMatchObject({ action: { do: 'practice', focus: q.competency } });
  });
  it('offers the same chart as a query for views outside a conversation, and none before the first graded answer', async () => {
    const h = await harness();
    const u = h.room.user('U1', 'Ana');
    expect(await h.bot.progressChart(u.actor)).toBeUndefined();
    const q = [...catalog().questions.values()].find((x) => x.kind === 'technical')!;
    await u.command('practice', q.id);
    await u.say(q.modelAnswer);
    await u.command('end');
    const [reply] = await u.command('progress');
    const chart = await h.bot.progressChart(u.actor);
    expect(chart?.alt).toBe(reply!.attachments![0]!.alt);
    expect(Buffer.from(chart!.png).toString('base64')).toBe(reply!.attachments![0]!.base64);
  });
});

describe('forget-me', () => {
  it('asks first, then deletes every row that mentions the user', async () => {
    const h = await harness();
    const ana = h.room.user('U-ANA', 'Ana Forgettable', { channel: 'ops' });
    const bob = h.room.user('U-BOB', 'Bob', { channel: 'ops' });
    const q = [...catalog().questions.values()][0]!;
    await ana.command('practice', q.id);
    await ana.say(q.modelAnswer);
    const drill = [...catalog().drills.values()][0]!;
    await bob.command('drill', drill.id);
    await ana.command('drill', 'join');
    await bob.command('drill', 'join');
    await bob.command('drill', 'begin');
    await ana.say('Ana says: roll back to the rules engine now');
    await h.room.user('M1', 'Maya', { channel: 'hiring' }).command('mock', '<@U-ANA|Ana Forgettable>');
    await h.room.user('U-ANA', 'Ana Forgettable', { channel: '@U-ANA' }).say(q.modelAnswer);
    await h.room.user('M1', 'Maya', { channel: 'hiring' }).command('mock', 'score', '1', '1', '40', 'Ana was vague');

    const [ask] = await ana.command('forget-me');
    expect(ask!.text).toMatch(/cannot be undone/);
    expect(ask!.actions![0]!.action).toEqual({ do: 'forget-me' });
    const anaId = (await h.store.upsertUser(ana.actor)).id;
    expect(mentions(h.db, anaId)).not.toEqual([]);

    const [done] = await ana.click({ do: 'forget-me' });
    expect(done!.text).toMatch(/record.* deleted/);
    expect(mentions(h.db, anaId)).toEqual([]);
    expect((await bob.command('drill', 'status'))[0]!.sections![0]!.fields!.flat().join(' ')).not.toContain('Ana');
  });

  it('does nothing without the confirmation', async () => {
    const h = await harness();
    const u = h.room.user('U1', 'Ana');
    await u.command('history');
    expect((await u.command('forget-me', 'confirm'))[0]!.text).toMatch(/Confirm within 10 minutes/);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 1 });
  });
});

/** Every table row whose columns hold the user's id (in a user-ish column), key, external id or name. */
function mentions(db: import('better-sqlite3').Database, userId: number): string[] {
  const found: string[] = [];
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((t) => t.name);
  for (const table of tables) {
    const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
      for (const col of cols) {
        const v = row[col];
        const userColumn = /(^|_)(user|candidate|scorer|manager|facilitator)(_id)?$/.test(col) || (table === 'users' && col === 'id');
        if ((userColumn && v === userId) || (typeof v === 'string' && /U-ANA|Ana/.test(v))) found.push(`${table}.${col}`);
      }
    }
  }
  return found;
}
