import { afterEach } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/index.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSqliteStores } from '../../src/store/sqlite.js';
import { renderProgressChart } from '../../src/charts/progress-chart.js';
import { startFakeDiscord, type FakeDiscord, type Recorded } from '../fakes/discord/index.js';
import { catalog, manualClock, testApp, type ManualClock } from '../support/harness.js';

export const ANA = { id: '1200000000000000501', username: 'ana', global_name: 'Ana' };
export const BOB = { id: '1200000000000000502', username: 'bob', global_name: 'Bob' };
export const CAROL = { id: '1200000000000000504', username: 'carol', global_name: 'Carol' };
export const OTHER_BOT = { id: '1200000000000000503', username: 'otherbot', bot: true };

export const OPTION_SUBCOMMAND = 1;
export const OPTION_STRING = 3;
export const OPTION_INTEGER = 4;
export const OPTION_USER = 6;

/**
 * A real discord.js Client, connected to a fake Discord on 127.0.0.1, over a real bot and store
 * with every feature on (drills, mocks, progress chart, forget-me) and a clock the test moves.
 */
export async function connectDiscord(opts: { messageContentAllowed?: boolean; db?: Db; before?: (fake: FakeDiscord) => void; clock?: ManualClock; tickIntervalMs?: number } = {}) {
  const fake = await startFakeDiscord({ messageContentAllowed: opts.messageContentAllowed ?? true });
  opts.before?.(fake);
  const db = opts.db ?? openDatabase(':memory:');
  const stores = createSqliteStores(db);
  const { practice: store, drills, mocks } = stores;
  const clock = opts.clock ?? manualClock(Date.now());
  const { bot } = await testApp({
    stores,
    clock,
    progressChart: (report) => ({ name: 'progress.png', png: renderProgressChart(report).png, alt: 'Average score per competency' }),
  });
  const logs: string[] = [];
  const adapter = createDiscordAdapter({ bot, state: stores.platform, catalog: catalog(), token: 'test-token', apiUrl: fake.apiUrl, log: (m) => void logs.push(m), tickIntervalMs: opts.tickIntervalMs ?? 40 });
  try {
    await adapter.start();
  } catch (err) {
    await fake.close();
    throw err;
  }
  return {
    fake,
    adapter,
    store,
    drills,
    mocks,
    clock,
    bot,
    db,
    logs,
    async close() {
      await adapter.stop();
      await fake.close();
      if (!opts.db) db.close();
    },
  };
}

/** Everything the bot said, as one place to look: channel posts, interaction replies and followups. */
export type Said = { where: string; kind: 'channel' | 'edit' | 'followup' | 'callback'; ephemeral: boolean; content: string; embeds: any[]; components: any[]; body: any };

export function said(requests: Recorded[]): Said[] {
  const out: Said[] = [];
  // An edit of a deferred reply is as private as the deferral was.
  const deferredEphemeral = new Set<string>();
  for (const r of requests) {
    if (r.method === 'POST' && r.path.endsWith('/callback') && r.body?.type === 5 && (r.body.data?.flags ?? 0) & 64) deferredEphemeral.add(r.path.split('/')[3]!);
  }
  for (const r of requests) {
    let m: RegExpMatchArray | null;
    const data = r.body ?? {};
    const base = { content: data.content ?? '', embeds: data.embeds ?? [], components: data.components ?? [], body: data };
    if (r.method === 'POST' && (m = r.path.match(/^\/channels\/(\d+)\/messages$/))) out.push({ ...base, where: m[1]!, kind: 'channel', ephemeral: false });
    else if (r.method === 'PATCH' && r.path.startsWith('/webhooks/')) out.push({ ...base, where: 'interaction', kind: 'edit', ephemeral: deferredEphemeral.has(r.path.split('/')[3]!) });
    else if (r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path)) out.push({ ...base, where: 'interaction', kind: 'followup', ephemeral: Boolean((data.flags ?? 0) & 64) });
    else if (r.method === 'POST' && r.path.endsWith('/callback') && data.type === 4) {
      const d = data.data ?? {};
      out.push({ content: d.content ?? '', embeds: d.embeds ?? [], components: d.components ?? [], body: d, where: 'interaction', kind: 'callback', ephemeral: Boolean((d.flags ?? 0) & 64) });
    }
  }
  return out;
}

export const callbacks = (requests: Recorded[]) => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/callback'));

export const isThreadPost = (threadId: string) => (r: Recorded) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`;

export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

/** The thread the pointer reply named: "Your practice session is in <#id>." */
export function threadFromPointer(requests: Recorded[]): string | undefined {
  for (const s of said(requests)) {
    const m = /session is in <#(\d+)>/.exec(s.content);
    if (m) return m[1];
  }
  return undefined;
}

export type Connected = Awaited<ReturnType<typeof connectDiscord>>;

/** For a test file: a connect() whose clients and fakes are all closed after each test. */
export function discordConnections(): (opts?: Parameters<typeof connectDiscord>[0]) => Promise<Connected> {
  let open: Connected[] = [];
  afterEach(async () => {
    for (const c of open) await c.close();
    open = [];
  });
  return async (opts = {}) => {
    const c = await connectDiscord(opts);
    open.push(c);
    return c;
  };
}
