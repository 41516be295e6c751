import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createMemoryAdapter } from '../../src/adapters/memory/index.js';
import { createApp } from '../../src/app.js';
import { ConfigSchema } from '../../src/config.js';
import { catalog, manualClock, questionOfKind } from '../support/harness.js';
import { describePostgres, scratchDatabases } from './postgres-support.js';

const freshDatabase = scratchDatabases();

describePostgres('the app on PostgreSQL (SPARRING_DATABASE_URL)', () => {
  it('runs a practice turn end to end, keeps it across a restart, and writes no SQLite file', async () => {
    const scratch = await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'sparring-pg-app-'));
    const config = ConfigSchema.parse({ SPARRING_DATABASE_URL: scratch.url, SPARRING_DB: join(dataDir, 'sparring.db') });
    const start = () => createApp(config, { catalog: catalog(), log: () => {}, clock: manualClock() });
    const q = questionOfKind('behavioral');

    const app = await start();
    const ana = createMemoryAdapter({ bot: app.bot }).user('U1', 'Ana');
    const [opening] = await ana.command('practice', q.id);
    expect(opening).toMatchObject({ role: 'question' });
    const [card] = await ana.say(q.modelAnswer);
    expect(card).toMatchObject({ role: 'scorecard' });
    expect(card!.text).toMatch(/Score: \d+\/100/);
    await app.close();

    const again = await start();
    try {
      const user = await again.stores.practice.upsertUser({ platform: 'memory', workspace: 'memory', userId: 'U1', displayName: 'Ana', isBot: false });
      const [entry] = await again.stores.practice.history(user.id, 5);
      expect(entry?.graded).toBe(1);
      const [turn] = await again.stores.practice.turns(entry!.session.id);
      expect(turn).toMatchObject({ questionId: q.id, answer: q.modelAnswer, status: 'graded' });
    } finally {
      await again.close();
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
