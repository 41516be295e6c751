import { describe, expect, it, vi } from 'vitest';
import { encodeAction } from '../../src/core/kernel/actions.js';
import { CHANNEL_ID, GUILD_ID, resolvedUsers, type Recorded } from '../fakes/discord/index.js';
import { catalog, questionOfKind } from '../support/harness.js';
import {
  ANA,
  BOB,
  CAROL,
  OPTION_INTEGER,
  OPTION_STRING,
  OPTION_SUBCOMMAND,
  OPTION_USER,
  discordConnections,
  type Connected,
  isThreadPost,
  said,
  settle,
} from './discord-support.js';

const connect = discordConnections();

const FRAN = { id: '1200000000000000505', username: 'fran', global_name: 'Fran' };
const sub = (name: string, options: { name: string; type: number; value: string | number; focused?: boolean }[] = []) => [{ name, type: OPTION_SUBCOMMAND, options }];

/** Polls until the condition holds: for effects that post nothing (a recorded drill message). */
async function until(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await settle(20);
  }
}

const components = (r: Recorded): any[] => (r.body?.components ?? []).flatMap((row: any) => row.components);
const expectNoPings = (c: Connected) => {
  const messages = said(c.fake.requests);
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) expect(m.body.allowed_mentions, JSON.stringify(m.body).slice(0, 200)).toEqual({ parse: [] });
};

describe('Discord: an incident drill in a thread', () => {
  it('opens a public thread, joins by select menu, records talk, releases a timed inject, takes a decision and ends with the report', async () => {
    const c = await connect();
    const scenario = catalog().drills.get('av-near-miss')!;

    // The scenario is offered from the catalog.
    c.fake.autocomplete(FRAN, CHANNEL_ID, 'drill', [{ name: 'open', type: OPTION_SUBCOMMAND, options: [{ name: 'scenario', type: OPTION_STRING, value: 'near', focused: true }] }]);
    const offered = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 8);
    expect(offered.body.data.choices.map((ch: { value: string }) => ch.value)).toContain(scenario.id);

    c.fake.slash(FRAN, CHANNEL_ID, 'drill', sub('open', [{ name: 'scenario', type: OPTION_STRING, value: scenario.id }]));
    const started = await c.fake.waitFor((r) => r.method === 'POST' && new RegExp(`^/channels/${CHANNEL_ID}/messages/\\d+/threads$`).test(r.path));
    const thread = started.path.split('/')[4]!;
    // A public thread from a starter message in the channel, so the whole channel can join.
    expect(c.fake.channels.get(thread)!.type).toBe(11);
    expect(said(c.fake.requests).find((s) => s.where === CHANNEL_ID)!.content).toContain(`Drill: ${scenario.title}`);
    const picker = await c.fake.waitFor((r) => isThreadPost(thread)(r) && components(r).some((x) => x.type === 3));
    const menu = components(picker).find((x) => x.type === 3);
    expect(menu.custom_id).toBe('sparring:drill-join');
    expect(menu.options.map((o: { value: string }) => o.value)).toEqual(scenario.roles.map((r) => encodeAction({ do: 'drill-join', role: r.id })));
    const where = { platform: 'discord' as const, workspace: GUILD_ID, channel: CHANNEL_ID, thread };
    // The drill moves into its thread once the batch that opened it is out.
    const drill = await vi.waitFor(async () => {
      const moved = await c.drills.drillIn(where);
      if (!moved) throw new Error('the drill is not in its thread yet');
      return moved;
    });
    expect(drill.scenarioId).toBe(scenario.id);
    expect(await c.bot.listensIn(where)).toBe(true);

    // Two players pick their roles in the menu; roles autocomplete from the open drill.
    const pick = (role: string) => menu.options.find((o: { value: string }) => o.value === encodeAction({ do: 'drill-join', role }))!.value;
    c.fake.select(ANA, thread, menu.custom_id, [pick('incident-commander')]);
    c.fake.select(BOB, thread, menu.custom_id, [pick('safety-lead')]);
    await until(async () => (await c.drills.participants(drill.id)).length === 2);
    expect(Object.fromEntries((await c.drills.participants(drill.id)).map((p) => [p.displayName, p.role]))).toEqual({ Ana: 'incident-commander', Bob: 'safety-lead' });
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && /Bob joined as \*\*/.test(r.body.content ?? ''));
    c.fake.autocomplete(ANA, thread, 'drill', [{ name: 'join', type: OPTION_SUBCOMMAND, options: [{ name: 'role', type: OPTION_STRING, value: '', focused: true }] }]);
    const roles = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 8 && r.body.data.choices.some((ch: { value: string }) => ch.value === 'all'));
    expect(roles.body.data.choices.map((ch: { value: string }) => ch.value)).toContain('safety-lead');

    c.fake.slash(FRAN, thread, 'drill', sub('begin'));
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && /has begun/.test(r.body.content ?? ''));
    const opening = scenario.injects.find((i) => i.release.kind === 'start')!;
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.content ?? '').includes(opening.title));
    await settle(100);

    // Anyone's message in the thread is recorded, not only a session owner's (and nobody is answered).
    const before = c.fake.requests.length;
    c.fake.message({ channelId: thread, author: ANA, content: 'I am taking incident command; pull the vehicle logs now.' });
    await until(async () => (await c.drills.events(drill.id)).some((e) => e.kind === 'message' && /vehicle logs/.test(e.value ?? '')));
    await settle(100);
    expect(c.fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path.includes('/messages')).map((r) => [r.path, r.body])).toEqual([]);

    // The timed inject falls due: the tick loop releases it with its decision as buttons.
    const timer = (await c.drills.pendingTimers(drill.id))[0]!;
    const inject = scenario.injects.find((i) => i.id === timer.injectId)!;
    c.clock.advance(timer.dueAt! - c.clock.now() + 1_000);
    const released = await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.content ?? '').includes(inject.title));
    const decision = inject.decision!;
    const buttons = components(released).filter((x) => x.type === 2);
    expect(buttons.map((b) => b.custom_id)).toEqual(decision.options.map((o) => `sparring:drill-decide:${decision.id}:${o.id}`));

    // The open decision's options autocomplete; its owner (Bob, safety lead) clicks one.
    c.fake.autocomplete(BOB, thread, 'drill', [{ name: 'decide', type: OPTION_SUBCOMMAND, options: [{ name: 'option', type: OPTION_STRING, value: '', focused: true }] }]);
    const options = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 8 && r.body.data.choices.some((ch: { value: string }) => ch.value.startsWith(`${decision.id}:`)));
    expect(options.body.data.choices).toHaveLength(decision.options.length);
    const chosen = decision.options.find((o) => o.recommended) ?? decision.options[0]!;
    c.fake.button(BOB, thread, `sparring:drill-decide:${decision.id}:${chosen.id}`);
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.content ?? '').startsWith(`**Decision:** ${chosen.label}`));
    expect((await c.drills.events(drill.id)).some((e) => e.kind === 'decision' && e.value === chosen.id)).toBe(true);

    c.fake.slash(FRAN, thread, 'drill', sub('end'));
    const report = await c.fake.waitFor((r) => isThreadPost(thread)(r) && /After-action report/.test(`${r.body.content ?? ''} ${JSON.stringify(r.body.embeds ?? [])}`));
    expect(report.body.allowed_mentions).toEqual({ parse: [] });
    expect((await c.drills.getDrill(drill.id))!.status).toBe('ended');
    expectNoPings(c);
  });
});

describe('Discord: a mock interview', () => {
  async function startMock(c: Connected, questionId: string) {
    c.fake.slash(ANA, CHANNEL_ID, 'mock', sub('start', [
      { name: 'candidate', type: OPTION_USER, value: BOB.id },
      { name: 'question', type: OPTION_STRING, value: questionId },
    ]), resolvedUsers(BOB));
    const create = await c.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/threads`);
    const thread = await c.fake.waitFor((r) => r.method === 'POST' && r.path.startsWith('/channels/') && r.path.endsWith('/messages') && r.path !== `/channels/${CHANNEL_ID}/messages`);
    return { create, thread: thread.path.split('/')[2]! };
  }

  it("sends each panel member's scorecard to their own DM when the manager runs the interview from a DM", async () => {
    const c = await connect();
    const q = questionOfKind('technical');
    const anaDm = c.fake.openDm(ANA);
    // /mock is a server command; typed in a DM, it runs there too.
    const hello = c.fake.slash(ANA, anaDm, 'help');
    await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(hello.token));
    c.fake.message({ channelId: anaDm, author: ANA, content: `/mock <@${BOB.id}> ${q.id}` });
    const bobDm = `9${BOB.id.slice(1)}`;
    await c.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${bobDm}/messages` && /Mock interview/.test(r.body.content ?? ''));
    c.fake.message({ channelId: anaDm, author: ANA, content: `/mock panel 1 <@${CAROL.id}>` });
    await c.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${anaDm}/messages` && /panel/i.test(JSON.stringify(r.body)));
    const mock = (await c.mocks.getMock(1))!;
    await vi.waitFor(async () => expect((await c.store.getSession(mock.sessionId!))!.conversation.channel).toBe(bobDm));
    c.fake.message({ channelId: bobDm, author: BOB, content: q.modelAnswer });
    const carolDm = `9${CAROL.id.slice(1)}`;
    const carolCard = await c.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${carolDm}/messages` && /Mock #1/.test(r.body.content ?? ''));
    expect(carolCard.body.content).toMatch(/bot score/);
    await c.fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${anaDm}/messages` && /Mock #1/.test(r.body.content ?? ''));
    await settle(150);
    // Ana's DM holds her scorecard only, not Carol's copy as well.
    expect(c.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${anaDm}/messages` && /bot score/.test(r.body.content ?? ''))).toHaveLength(1);
  });

  it("keeps the panel's scorecard private when a manager asks for it inside the candidate's thread", async () => {
    const c = await connect();
    const q = questionOfKind('technical');
    const { thread } = await startMock(c, q.id);
    const mock = (await c.mocks.getMock(1))!;
    await vi.waitFor(async () => expect((await c.store.getSession(mock.sessionId!))!.conversation.thread).toBe(thread));
    c.fake.message({ channelId: thread, author: BOB, content: q.modelAnswer });
    await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(r.path) && /Mock #1/.test(r.body.content ?? ''));
    const before = c.fake.requests.length;
    // Server moderators can read every private thread; Ana is one, and asks from Bob's.
    const asked = c.fake.slash(ANA, thread, 'mock', sub('show', [{ name: 'id', type: OPTION_INTEGER, value: 1 }]));
    const deferral = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.path.includes(asked.token));
    expect(deferral.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const answer = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(asked.token));
    const text = JSON.stringify(answer.body);
    expect(text).toMatch(/\/100/);
    // The scorecard went into Ana's ephemeral reply; nothing with a score was posted in the thread Bob reads.
    await settle(150);
    expect(said(c.fake.requests.slice(before)).filter((s) => s.where === thread).map((s) => JSON.stringify(s.body))).not.toContainEqual(expect.stringMatching(/\/100/));
  });

  it('holds the interview in a private thread with only the candidate, sends the panel scorecard to the manager only, and scores through a modal', async () => {
    const c = await connect();
    const q = questionOfKind('technical');
    const { create, thread } = await startMock(c, q.id);

    expect(create.body).toMatchObject({ type: 12, invitable: false });
    expect(create.body.name).toContain('Bob');
    const members = c.fake.requests.filter((r) => r.method === 'PUT' && r.path.startsWith(`/channels/${thread}/thread-members/`));
    expect(members.map((r) => r.path.split('/').at(-1))).toEqual([BOB.id]);
    const question = said(c.fake.requests).find((s) => s.where === thread)!;
    expect(question.content).toContain('Mock interview');
    expect(question.content).toContain(q.prompt.slice(0, 40));
    // The manager hears where it is, privately; the candidate's session lives in the thread.
    expect(said(c.fake.requests).some((s) => s.ephemeral && /Bob's mock interview is in <#\d+>/.test(s.content))).toBe(true);
    const mock = (await c.mocks.getMock(1))!;
    await vi.waitFor(async () => expect((await c.store.getSession(mock.sessionId!))!.conversation).toEqual({ platform: 'discord', workspace: GUILD_ID, channel: CHANNEL_ID, thread }));

    // The candidate answers in the thread; the scorecard goes to the manager by DM, never into the thread.
    c.fake.message({ channelId: thread, author: BOB, content: q.modelAnswer });
    await c.fake.waitFor((r) => r.method === 'POST' && r.path === '/users/@me/channels' && r.body.recipient_id === ANA.id);
    const card = await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(r.path) && /Mock #1/.test(r.body.content ?? ''));
    expect(card.body.content).toMatch(/Bob answered question 1 .*bot score \*\*\d+\/100\*\*/);
    expect((await c.store.turns(mock.sessionId!))[0]!.status).toBe('graded');
    await settle(150);
    expect(c.fake.requests.some((r) => r.method === 'POST' && r.path === '/users/@me/channels' && r.body.recipient_id === BOB.id)).toBe(false);
    expect(said(c.fake.requests).filter((s) => s.where === thread).some((s) => /bot score|Mock #1 ·/.test(s.content))).toBe(false);

    // "Add your score" from the DM acts in the server, and the modal's submission is recorded.
    const dm = card.path.split('/')[2]!;
    const scoreButton = components(card).find((b) => /mock-score/.test(b.custom_id));
    expect(scoreButton.custom_id).toBe(`sparring@${GUILD_ID}:mock-score:1:1`);
    c.fake.button(ANA, dm, scoreButton.custom_id);
    const modal = await c.fake.waitFor((r) => r.path.endsWith('/callback') && r.body.type === 9);
    expect(modal.body.data.custom_id).toBe(`sparring-form@${GUILD_ID}:mock-score:1:1`);
    const inputs = modal.body.data.components.map((row: any) => row.components[0]);
    expect(inputs.map((x: any) => [x.custom_id, x.style, x.required])).toEqual([['score', 1, true], ['notes', 2, false]]);
    const submit = c.fake.modalSubmit(ANA, dm, modal.body.data.custom_id, { score: '72', notes: 'clear on the metric, vague on rollout' });
    const recorded = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(submit.token));
    expect(recorded.body.content).toContain('Recorded your 72/100 for question 1 of mock #1');
    expect(await c.mocks.scores(1)).toEqual([expect.objectContaining({ score: 72, notes: 'clear on the metric, vague on rollout' })]);

    // A stranger may not look; the manager may, privately.
    const peek = c.fake.slash(CAROL, CHANNEL_ID, 'mock', sub('show', [{ name: 'id', type: OPTION_INTEGER, value: 1 }]));
    const refused = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(peek.token));
    expect(refused.body.content).toMatch(/No mock interview #1 that you can see/);
    expect(said(c.fake.requests).find((s) => s.body === refused.body)!.ephemeral).toBe(true);
    const show = c.fake.slash(ANA, CHANNEL_ID, 'mock', sub('show', [{ name: 'id', type: OPTION_INTEGER, value: 1 }]));
    const shown = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(show.token));
    expect(shown.body.content).toMatch(/Mock interview #1: Bob/);
    expect(JSON.stringify(shown.body.embeds)).toContain('72/100 · clear on the metric');
    expect(said(c.fake.requests).find((s) => s.body === shown.body)!.ephemeral).toBe(true);

    // Released feedback reaches the candidate in their thread, without the panel's notes.
    const release = c.fake.slash(ANA, CHANNEL_ID, 'mock', sub('release', [{ name: 'id', type: OPTION_INTEGER, value: 1 }]));
    const feedback = await c.fake.waitFor((r) => isThreadPost(thread)(r) && /Feedback on your mock interview #1/.test(r.body.content ?? ''));
    expect(JSON.stringify(feedback.body)).not.toContain('clear on the metric');
    await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(release.token) && /released/.test(r.body.content ?? ''));
    expectNoPings(c);
  });

  it('never answers the candidate with the panel scorecard, even when they answer through the form', async () => {
    const c = await connect();
    const q = questionOfKind('technical');
    const { thread } = await startMock(c, q.id);
    const submit = c.fake.modalSubmit(BOB, thread, 'sparring-form:answer', { answer: q.modelAnswer });
    await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(r.path) && /Mock #1/.test(r.body.content ?? ''));
    await settle(150);
    const toBob = c.fake.requests.filter((r) => r.path.includes(submit.token) || isThreadPost(thread)(r));
    expect(toBob.some((r) => /bot score|Mock #1 ·/.test(JSON.stringify(r.body ?? '')))).toBe(false);
  });
});

describe('Discord: progress and forget-me', () => {
  it('/progress answers privately with the chart uploaded as a PNG and shown in the embed', async () => {
    const c = await connect();
    const q = questionOfKind('technical');
    c.fake.slash(ANA, CHANNEL_ID, 'practice', [{ name: 'question', type: OPTION_STRING, value: q.id }]);
    const asked = await c.fake.waitFor((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.path !== `/channels/${CHANNEL_ID}/messages`);
    const thread = asked.path.split('/')[2]!;
    c.fake.message({ channelId: thread, author: ANA, content: q.modelAnswer });
    await c.fake.waitFor((r) => isThreadPost(thread)(r) && (r.body.embeds?.length ?? 0) > 0);

    const progress = c.fake.slash(ANA, CHANNEL_ID, 'progress');
    const edit = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(progress.token));
    expect(edit.body.content).toMatch(/Your progress/);
    expect(said([...c.fake.requests]).find((s) => s.body === edit.body)!.ephemeral).toBe(true);
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0]!.filename).toBe('progress.png');
    expect([...edit.files[0]!.data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(edit.body.embeds.some((e: any) => e.image?.url === 'attachment://progress.png')).toBe(true);
    // The chart's alt text travels as the attachment's description (screen readers read it).
    expect(edit.body.attachments).toEqual([{ id: '0', description: 'Average score per competency' }]);
    // The "practise your weakest" button is there too.
    expect(components(edit).some((b) => b.custom_id.startsWith('sparring:practice:'))).toBe(true);
    expectNoPings(c);
  });

  it('/forget-me asks privately with a danger button, and the button deletes the user', async () => {
    const c = await connect();
    const count = () => (c.db.prepare('SELECT count(*) AS n FROM users WHERE external_id = ?').get(ANA.id) as { n: number }).n;
    const ask = c.fake.slash(ANA, CHANNEL_ID, 'forget-me');
    const confirm = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(ask.token));
    expect(confirm.body.content).toMatch(/deletes \*\*everything\*\*/);
    expect(said(c.fake.requests).find((s) => s.body === confirm.body)!.ephemeral).toBe(true);
    const button = components(confirm)[0];
    expect(button).toMatchObject({ type: 2, style: 4, custom_id: 'sparring:forget-me' });
    expect(count()).toBe(1);

    const click = c.fake.button(ANA, CHANNEL_ID, button.custom_id);
    const done = await c.fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(click.token));
    expect(done.body.content).toMatch(/^Done: \d+ records? about you were deleted/);
    expect(count()).toBe(0);
    expectNoPings(c);
  });
});
