import { describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter, servedByShards } from '../../src/adapters/discord/index.js';
import { openDatabase } from '../../src/store/db.js';
import { createSqliteStores } from '../../src/store/sqlite.js';
import { CHANNEL_ID, GUILD_ID, threadChannel } from '../fakes/discord/index.js';
import { catalog, questionOfKind, testApp } from '../support/harness.js';
import {
  ANA,
  BOB,
  OPTION_STRING,
  OTHER_BOT,
  callbacks,
  discordConnections,
  type Connected,
  isThreadPost,
  said,
  settle,
  threadFromPointer,
} from './discord-support.js';

const connect = discordConnections();

const technical = () => questionOfKind('technical');
const behavioral = () => questionOfKind('behavioral');

/** Starts a session for one question and returns the thread it lives in. */
async function startIn(c: Connected, questionId: string, user = ANA): Promise<string> {
  c.fake.slash(user, CHANNEL_ID, 'practice', [{ name: 'question', type: OPTION_STRING, value: questionId }]);
  await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.path !== `/channels/${CHANNEL_ID}/messages`);
  const thread = threadFromPointer(c.fake.requests);
  expect(thread).toBeDefined();
  return thread!;
}

describe('Discord: practice in a server', () => {
  it('/practice defers, opens a private thread for the candidate and asks the question there with buttons', async () => {
    const c = await connect();
    const q = technical();
    const thread = await startIn(c, q.id);

    const [deferral] = callbacks(c.fake.requests);
    expect(deferral!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const create = c.fake.requests.find((r) => r.path === `/channels/${CHANNEL_ID}/threads`)!;
    expect(create.body).toMatchObject({ type: 12, invitable: false });
    expect(c.fake.requests.some((r) => r.method === 'PUT' && r.path === `/channels/${thread}/thread-members/${ANA.id}`)).toBe(true);

    const question = said(c.fake.requests).find((s) => s.where === thread)!;
    expect(question.content).toContain(q.prompt.slice(0, 60));
    const ids = question.components[0].components.map((b: { custom_id: string }) => b.custom_id);
    expect(ids).toEqual(['sparring:answer-form', 'sparring:command:hint', 'sparring:command:skip', 'sparring:command:end']);
    // The session now lives in the thread: it is where the store says it is.
    await vi.waitFor(async () => expect((await c.store.activeSession(1))!.conversation).toMatchObject({ platform: 'discord', workspace: expect.any(String), channel: CHANNEL_ID, thread }));
  });

  it('grades an answer typed in the thread and posts the scorecard as an embed, then a follow-up', async () => {
    const c = await connect();
    const q = technical();
    const thread = await startIn(c, q.id);
    const before = c.fake.requests.length;
    c.fake.message({ channelId: thread, author: ANA, content: q.modelAnswer });
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.embeds?.length ?? 0) > 0);
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && /Follow-up/.test(r.body.content ?? ''));

    const posts = said(c.fake.requests.slice(before)).filter((s) => s.where === thread);
    const card = posts.find((s) => s.embeds.length > 0)!;
    expect(card.content).toMatch(/Score: \d+\/100/);
    expect(card.embeds[0].title).toMatch(/\d\/4/);
    expect(card.components[0].components[0]).toMatchObject({ label: 'Share with channel', custom_id: expect.stringMatching(/^sparring:share:\d+$/) });
    expect((await c.store.turns((await c.store.activeSession(1))!.id))[0]!.answer).toBe(q.modelAnswer);
  });

  it('answers through a modal: the button shows a paragraph input, the submission is deferred and graded privately', async () => {
    const c = await connect();
    const q = technical();
    const thread = await startIn(c, q.id);
    c.fake.button(ANA, thread, 'sparring:answer-form');
    const modal = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 9);
    const input = modal.body.data.components[0].components[0];
    expect(input).toMatchObject({ type: 4, custom_id: 'answer', style: 2, max_length: 4000, required: true });

    const submit = c.fake.modalSubmit(ANA, thread, modal.body.data.custom_id, { answer: q.modelAnswer });
    await c.fake.waitFor((r) => r.path === `/interactions/${submit.id}/${submit.token}/callback`);
    const deferral = c.fake.requests.find((r) => r.path === `/interactions/${submit.id}/${submit.token}/callback`)!;
    expect(deferral.body.type).toBe(5);
    const edit = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(submit.token));
    expect(edit.body.content).toMatch(/Score: \d+\/100/);
    expect(edit.body.embeds.length).toBeGreaterThan(0);
  });

  it('ignores other bots, webhooks and its own echoed messages', async () => {
    const c = await connect();
    const thread = await startIn(c, technical().id);
    await settle();
    const before = c.fake.requests.length;
    c.fake.message({ channelId: thread, author: OTHER_BOT, content: 'I am a bot answering' });
    c.fake.message({ channelId: thread, author: { id: c.fake.botId, username: 'Sparring', bot: true }, content: 'echo' });
    c.fake.message({ channelId: thread, author: BOB, content: 'via webhook', webhookId: '1200000000000000777' });
    c.fake.message({ channelId: CHANNEL_ID, author: BOB, content: 'just chatting in the channel' });
    await settle(300);
    expect(c.fake.requests.slice(before)).toEqual([]);
    expect((await c.store.turns((await c.store.activeSession(1))!.id))[0]!.status).toBe('asked');
  });

  it('explains a missing permission when it cannot open a thread (403), and carries on without crashing', async () => {
    const c = await connect();
    c.fake.fail('POST', /\/threads$/, 403, { code: 50013, message: 'Missing Permissions' });
    c.fake.slash(ANA, CHANNEL_ID, 'practice', [{ name: 'question', type: OPTION_STRING, value: technical().id }]);
    const explained = await c.fake.waitFor((r) => r.path.startsWith('/webhooks/') && /Create Private Threads/.test(r.body?.content ?? ''));
    expect(explained.body.allowed_mentions).toEqual({ parse: [] });
    // The question still reaches the candidate, and the client is still connected.
    await c.fake.waitFor((r) => said([r]).some((s) => s.content.includes(technical().prompt.slice(0, 40))));
    expect(c.adapter.client.isReady()).toBe(true);
  });

  it('when it may not post in the channel either, the question comes back as a private followup', async () => {
    const c = await connect();
    c.fake.fail('POST', /\/threads$/, 403, { code: 50013, message: 'Missing Permissions' });
    c.fake.fail('POST', /^\/channels\/\d+\/messages$/, 403, { code: 50001, message: 'Missing Access' });
    c.fake.slash(ANA, CHANNEL_ID, 'practice', [{ name: 'question', type: OPTION_STRING, value: technical().id }]);
    const fallback = await c.fake.waitFor((r) => r.path.startsWith('/webhooks/') && /can't post in that channel/.test(r.body?.content ?? ''));
    expect(fallback.body.content).toContain(technical().prompt.slice(0, 40));
  });

  it('never lets a message ping anyone', async () => {
    const c = await connect();
    const q = behavioral();
    const thread = await startIn(c, q.id);
    c.fake.message({ channelId: thread, author: ANA, content: `@everyone <@${BOB.id}> <@&1200000000000000888> ${q.modelAnswer}` });
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && /Follow-up/.test(r.body.content ?? ''));
    c.fake.slash(ANA, thread, 'hint');
    c.fake.slash(ANA, CHANNEL_ID, 'help');
    await c.fake.waitFor((r) => r.path.startsWith('/webhooks/') && /Sparring/.test(r.body?.content ?? ''));
    await settle();
    const messages = said(c.fake.requests);
    expect(messages.length).toBeGreaterThan(4);
    for (const m of messages) expect(m.body.allowed_mentions, JSON.stringify(m.body).slice(0, 200)).toEqual({ parse: [] });
  });

  it('offers tracks and questions from the catalog as autocomplete choices', async () => {
    const c = await connect();
    c.fake.autocomplete(ANA, CHANNEL_ID, 'practice', [{ name: 'question', type: OPTION_STRING, value: technical().id.slice(0, 6), focused: true }]);
    const answer = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 8);
    const choices = answer.body.data.choices as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((ch) => ch.value)).toContain(technical().id);
    for (const ch of choices) expect(ch.name.length).toBeLessThanOrEqual(100);
  });

  it('keeps each server separate from DMs: a DM session has no thread and its own history', async () => {
    const c = await connect();
    const dm = c.fake.openDm(ANA);
    c.fake.slash(ANA, dm, 'practice', [{ name: 'question', type: OPTION_STRING, value: technical().id }]);
    const edit = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.startsWith('/webhooks/'));
    expect(edit.body.content).toContain(technical().prompt.slice(0, 40));
    expect(c.fake.requests.some((r) => r.path.endsWith('/threads'))).toBe(false);
    // Deferred in public: a DM is private already.
    expect(callbacks(c.fake.requests)[0]!.body).toMatchObject({ type: 5 });
    expect(callbacks(c.fake.requests)[0]!.body.data?.flags ?? 0).toBe(0);
    expect((await c.store.activeSession(1))!.conversation.workspace).toBe('dm');

    c.fake.message({ channelId: dm, author: ANA, content: technical().modelAnswer });
    await c.fake.waitFor((r) => isThreadPost(dm)(r) && (r.body.embeds?.length ?? 0) > 0);
  });

  it('falls back to the form when the Message Content intent is not allowed, without a setting', async () => {
    const c = await connect({ messageContentAllowed: false });
    expect(c.fake.identifies.map((i) => Boolean(i.intents & (1 << 15)))).toEqual([true, false]);
    expect(c.adapter.readsMessages).toBe(false);
    expect(c.logs.join('\n')).toMatch(/Message Content intent/);
    const thread = await startIn(c, technical().id);
    c.fake.button(ANA, thread, 'sparring:answer-form');
    await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 9);
  });
});

describe('Discord: a whole practice conversation', () => {
  it('reads like a conversation: start, answer, follow-up, summary, history', async () => {
    const c = await connect();
    const q = technical();
    const transcript: string[] = [];
    const line = (who: string, text: string) => transcript.push(`${who}: ${text.split('\n')[0]}`);
    let seen = 0;
    const botSaid = () => {
      const news = said(c.fake.requests.slice(seen));
      seen = c.fake.requests.length;
      for (const s of news) line(`bot${s.ephemeral ? ' (only Ana)' : ''}`, s.content || s.embeds.map((e) => e.title).join(' | '));
    };

    line('Ana', `/practice question:${q.id}`);
    const thread = await startIn(c, q.id);
    await settle();
    botSaid();

    line('Ana', '(answers in the thread)');
    c.fake.message({ channelId: thread, author: ANA, content: q.modelAnswer });
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && /Follow-up/.test(r.body.content ?? ''));
    botSaid();

    line('Ana', '[Hint]');
    c.fake.button(ANA, thread, 'sparring:command:hint');
    await c.fake.waitFor((r) => r.path.startsWith('/webhooks/') && /Hint|No more hints/.test(r.body?.content ?? ''));
    botSaid();

    line('Ana', '(answers the follow-up)');
    c.fake.message({ channelId: thread, author: ANA, content: 'I would track precision and recall per segment weekly, alert on drift, and agree the thresholds with the team lead.' });
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && /Session complete/.test(r.body.content ?? ''));
    botSaid();

    line('Ana', '/history');
    c.fake.slash(ANA, CHANNEL_ID, 'history');
    await c.fake.waitFor((r) => r.method === 'PATCH' && /recent sessions/.test(r.body?.content ?? ''));
    botSaid();

    const text = transcript.join('\n');
    expect(text).toMatch(/Your practice session is in <#\d+>/);
    expect(text).toMatch(/bot: \*\*Question 1 of 1\*\*/);
    expect(text).toMatch(/bot: \*\*Score: \d+\/100\*\*/);
    expect(text).toMatch(/bot: \*\*Follow-up:\*\*/);
    expect(text).toMatch(/bot: \*\*Follow-up score: \d+\/100\*\*/);
    expect(text).toMatch(/bot: \*\*Session complete:\*\* 1 of 1 question graded/);
    expect(text).toMatch(/bot \(only Ana\): \*\*Your recent sessions\*\*/);
    expect(await c.store.activeSession(1)).toBeUndefined();
  });
});

describe('Discord: which shard recovers what', () => {
  it('gives each server to the shard Discord routes it to, and DMs to shard 0', () => {
    // Discord's rule: shard = (server id >> 22) % shard count.
    const onShard0 = String(2n << 22n);
    const onShard1 = String(3n << 22n);
    expect([onShard0, onShard1, 'dm'].map(servedByShards([0], 2))).toEqual([true, false, true]);
    expect([onShard0, onShard1, 'dm'].map(servedByShards([1], 2))).toEqual([false, true, false]);
    // A process running several shards serves all of theirs.
    expect([onShard0, onShard1, 'dm'].map(servedByShards([0, 1], 2))).toEqual([true, true, true]);
  });
});

describe('Discord: fallbacks and recovery', () => {
  it('uses a public thread when a private one is not allowed, and sends typed-answer feedback by DM', async () => {
    const c = await connect();
    c.fake.fail('POST', new RegExp(`^/channels/${CHANNEL_ID}/threads$`), 403, { code: 50013, message: 'Missing Permissions' });
    const q = technical();
    const thread = await startIn(c, q.id);
    expect(c.fake.requests.some((r) => r.path.match(/\/messages\/\d+\/threads$/))).toBe(true);
    expect(said(c.fake.requests).some((s) => s.where === thread && /this thread is public/.test(s.content))).toBe(true);

    c.fake.message({ channelId: thread, author: ANA, content: q.modelAnswer });
    await c.fake.waitFor((r) => r.method === 'POST' && r.path === '/users/@me/channels' && r.body.recipient_id === ANA.id);
    const dm = await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(r.path) && (r.body.embeds?.length ?? 0) > 0);
    expect(dm.body.content).toMatch(/Score: \d+\/100/);
    // The scorecard never appeared in the public thread.
    expect(said(c.fake.requests).some((s) => s.where === thread && /Score:/.test(s.content))).toBe(false);
  });

  it('shares a scorecard from the private thread into the channel', async () => {
    const c = await connect();
    const q = technical();
    const thread = await startIn(c, q.id);
    c.fake.message({ channelId: thread, author: ANA, content: q.modelAnswer });
    const card = await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.embeds?.length ?? 0) > 0);
    c.fake.button(ANA, thread, card.body.components[0].components[0].custom_id);
    const shared = await c.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages` && /shared a scorecard/.test(r.body.content ?? ''));
    expect(shared.body.content).toContain('Ana shared a scorecard');
    expect(shared.body.embeds.length).toBeGreaterThan(0);
  });

  it('answers a click on one of its buttons it can no longer read, instead of failing the interaction', async () => {
    const c = await connect();
    const thread = await startIn(c, technical().id);
    c.fake.button(ANA, thread, 'sparring:hint');
    const answer = await c.fake.waitFor((r) => r.path.endsWith('/callback') && /older message/.test(r.body?.data?.content ?? ''));
    expect(answer.body.data.flags).toBe(64);
  });

  it('grades answers a crash left behind once ready, and posts them where the session lives', async () => {
    const db = openDatabase(':memory:');
    const { stores: { practice: store }, bot } = await testApp({ stores: createSqliteStores(db) });
    const thread = '1200000000000000300';
    const q = technical();
    const where = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID, thread };
    await bot.handle({ kind: 'command', name: 'practice', args: [q.id], actor: { platform: 'discord', workspace: GUILD_ID, userId: ANA.id, displayName: 'Ana', isBot: false }, conversation: where });
    const session = (await store.activeSession(1))!;
    await store.recordAnswer((await store.currentTurn(session.id))!.id, q.modelAnswer, Date.now());

    const c = await connect({ db, before: (fake) => void fake.channels.set(thread, threadChannel({ id: thread, parentId: CHANNEL_ID, type: 12, name: 'Practice · Ana' })) });
    const card = c.fake.requests.find((r) => isThreadPost(thread)(r) && (r.body.embeds?.length ?? 0) > 0);
    expect(card?.body.content).toMatch(/Score: \d+\/100/);
    expect(await store.pendingTurns()).toHaveLength(0);
    db.close();
  });

  it('still knows whose thread it is after a restart: the owner is answered there, others are not', async () => {
    const db = openDatabase(':memory:');
    const c = await connect({ db });
    const q = technical();
    const thread = await startIn(c, q.id);
    await c.adapter.stop();

    // A new process on the same database, connecting to the same Discord.
    const { bot, stores } = await testApp({ stores: createSqliteStores(db) });
    const again = createDiscordAdapter({ bot, state: stores.platform, catalog: catalog(), token: 'test-token', apiUrl: c.fake.apiUrl, log: () => {}, tickIntervalMs: 0 });
    await again.start();
    try {
      const before = c.fake.requests.length;
      c.fake.message({ channelId: thread, author: BOB, content: 'I would just retrain it, honestly.' });
      await settle(300);
      expect(c.fake.requests.slice(before)).toEqual([]);
      c.fake.message({ channelId: thread, author: ANA, content: q.modelAnswer });
      await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.embeds?.length ?? 0) > 0);
      expect((await bot.sessionConversation({ platform: 'discord', workspace: GUILD_ID, userId: ANA.id, displayName: 'Ana', isBot: false }))?.thread).toBe(thread);
    } finally {
      await again.stop();
      db.close();
    }
  });

  it('names DISCORD_TOKEN when Discord rejects the token', async () => {
    await expect(connect({ before: (fake) => fake.fail('GET', /^\/gateway\/bot$/, 401, { code: 0, message: '401: Unauthorized' }) })).rejects.toThrow(
      /^setting DISCORD_TOKEN: Discord rejected the token/,
    );
  });
});

describe('Discord: a dead interaction token', () => {
  it('still grades a modal answer when deferring fails, and delivers the scorecard privately by DM', async () => {
    const c = await connect();
    const q = technical();
    const thread = await startIn(c, q.id);
    c.fake.fail('POST', /^\/interactions\/\d+\/[^/]+\/callback$/, 404, { code: 10062, message: 'Unknown interaction' }, 1);
    c.fake.modalSubmit(ANA, CHANNEL_ID, 'sparring-form:answer', { answer: q.modelAnswer });
    const card = await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && /Score: \d+/.test(r.body.content ?? ''));
    expect(card.path).not.toBe(`/channels/${CHANNEL_ID}/messages`);
    expect(c.logs.join('\n')).toMatch(/could not defer/);
    expect(thread).toBeDefined();
  });
});
