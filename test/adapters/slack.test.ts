import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_ABILITIES } from '../../src/adapters/slack/index.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import type { Grader } from '../../src/core/kernel/grading.js';
import { openDatabase } from '../../src/store/db.js';
import { buttonsOf, signature } from '../fakes/slack-api.js';
import { catalog, questionOfKind } from '../support/harness.js';
import { adapterContract } from './contract.js';
import { payloadOf, readable, SIGNING_SECRET, slackContractDriver, slackWorld, type SlackWorld } from './slack-world.js';

adapterContract('slack', slackContractDriver, SLACK_ABILITIES);

const technical = () => questionOfKind('technical');
const behavioral = () => questionOfKind('behavioral');
const SCORE = /Score: \d+\/100/;

let world: SlackWorld | undefined;
const start = async (opts: Parameters<typeof slackWorld>[0] = {}) => (world = await slackWorld(opts));
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('Slack: practice in a channel', () => {
  it('/sparring practice posts the question in the channel and the session moves into its thread', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA', name: 'ana' });
    const res = await ana.command(`practice ${technical().id}`);
    expect(res.status).toBe(200);

    const [question] = w.api.callsTo('chat.postMessage');
    expect(question!.params).toMatchObject({ channel: 'C0PRACTICE' });
    expect(question!.params['thread_ts']).toBeUndefined();
    expect(readable(JSON.stringify(question!.params['blocks']))).toContain(technical().prompt.slice(0, 60));
    expect(buttonsOf({ blocks: question!.params['blocks'] }).map((b) => b.label)).toEqual(['Answer in a form', 'Hint', 'Skip', 'End']);
    expect((await w.store.activeSession(1))!.conversation).toEqual({ platform: 'slack', workspace: 'T0A', channel: 'C0PRACTICE', thread: question!.ts });
  });

  it('grades an answer in the thread with a scorecard only the candidate sees, then follows up in the thread', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    const thread = ana.sessionThread()!;
    await ana.say(technical().modelAnswer);

    const [card] = w.api.callsTo('chat.postEphemeral');
    expect(card!.params).toMatchObject({ channel: 'C0PRACTICE', user: 'U1ANA', thread_ts: thread });
    expect(readable(card!.params['text'])).toMatch(SCORE);
    expect(card!.params['blocks'].length).toBeLessThanOrEqual(50);
    const probe = w.api.callsTo('chat.postMessage').at(-1)!;
    expect(probe.params).toMatchObject({ channel: 'C0PRACTICE', thread_ts: thread });
    expect(readable(probe.params['text'])).toContain('Follow-up');
  });

  it('opens the answer form as a modal and grades what is submitted', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    await ana.click('answer-form');
    const [open] = w.api.callsTo('views.open');
    const view = open!.params['view'];
    expect(view.type).toBe('modal');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks[0].element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });
    expect(JSON.parse(view.private_metadata)).toEqual({ c: 'C0PRACTICE', t: ana.sessionThread() });

    await ana.submitForm({ answer: technical().modelAnswer });
    expect(w.api.callsTo('chat.postEphemeral').some((c) => SCORE.test(readable(c.params['text'])) && c.params['thread_ts'] === ana.sessionThread())).toBe(true);
  });

  it('answers a click on a button it can no longer read (posted before an upgrade) instead of ignoring it', async () => {
    const w = await start();
    await w.slack.interaction({
      type: 'block_actions', token: 'legacy', api_app_id: 'A0SPAR', trigger_id: 'trig.old',
      team: { id: 'T0A', domain: 'fake' }, user: { id: 'U1ANA', name: 'ana', team_id: 'T0A' },
      container: { type: 'message', message_ts: '1.1', channel_id: 'C0PRACTICE' }, channel: { id: 'C0PRACTICE', name: 'practice' },
      response_url: w.api.responseUrl('old'),
      actions: [{ type: 'button', action_id: 'hint', block_id: 'b1', text: { type: 'plain_text', text: 'Hint' }, value: '{}', action_ts: '1.2' }],
    });
    await w.adapter.idle();
    expect(w.api.callsTo('response_url').at(-1)!.params).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/older message/) });
  });

  it("refuses a click on someone else's session and ignores their words in its thread", async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    const bob = w.person({ user: 'U2BOB' });
    await ana.command(`practice ${technical().id}`);
    await bob.click('skip');
    expect(readable(w.api.callsTo('chat.postEphemeral').at(-1)!.params['text'])).toMatch(/belongs to someone else/);
    const calls = w.api.calls.length;
    await bob.say('my answer, in her thread');
    await bob.say('just chatting in the channel', { thread: null });
    expect(w.api.calls.length).toBe(calls);
    expect((await w.store.currentTurn((await w.store.activeSession(1))!.id))!.status).toBe('asked');
  });

  it('ignores bots, its own messages and message edits', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    const thread = ana.sessionThread()!;
    const calls = w.api.calls.length;
    const base = { type: 'message', channel: 'C0PRACTICE', channel_type: 'channel', thread_ts: thread, ts: '1.1' };
    await w.slack.event('T0A', { ...base, user: 'U0BOT', text: 'echo' });
    await w.slack.event('T0A', { ...base, bot_id: 'B9', user: 'U9OTHER', text: 'another bot' });
    await w.slack.event('T0A', { ...base, subtype: 'message_changed', user: 'U1ANA', text: 'edited' });
    await w.adapter.idle();
    expect(w.api.calls.length).toBe(calls);
  });

  it('acks a message before grading it, so slow grading never makes Slack retry', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lexical = createLexicalGrader();
    const slow: Grader = { kind: 'lexical', grade: async (req) => (await gate, lexical.grade(req)) };
    const w = await start({ grader: slow });
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    const { response } = await w.slack.event('T0A', {
      type: 'message', channel: 'C0PRACTICE', channel_type: 'channel', user: 'U1ANA', text: technical().modelAnswer, ts: '2.2', thread_ts: ana.sessionThread(),
    });
    expect(response.status).toBe(200);
    expect(w.api.callsTo('chat.postEphemeral')).toHaveLength(0);
    release();
    await w.adapter.idle();
    expect(w.api.callsTo('chat.postEphemeral')).toHaveLength(1);
  });
});

describe('Slack: safety', () => {
  it('rejects a bad or stale signature with 401 and does nothing', async () => {
    const w = await start();
    const body = new URLSearchParams({ team_id: 'T0A', channel_id: 'C1', user_id: 'U1', command: '/sparring', text: 'practice' }).toString();
    const bad = await w.slack.post(body, 'application/x-www-form-urlencoded', { signatureOverride: signature('wrong-secret', Math.floor(Date.now() / 1000), body) });
    expect(bad.status).toBe(401);
    const stale = await w.slack.post(body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    await w.adapter.idle();
    expect(w.api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    // The same request, properly signed, goes through: the 401s were about the signature.
    expect((await w.slack.post(body, 'application/x-www-form-urlencoded')).status).toBe(200);
    expect(signature(SIGNING_SECRET, 1, 'x')).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('refuses a signed request replayed inside the five-minute window, and one dated in the future', async () => {
    const w = await start();
    const body = new URLSearchParams({ team_id: 'T0A', channel_id: 'C1', user_id: 'U1', user_name: 'ana', command: '/sparring', text: 'help' }).toString();
    const now = Math.floor(Date.now() / 1000);
    expect((await w.slack.post(body, 'application/x-www-form-urlencoded', { timestamp: now })).status).toBe(200);
    await w.adapter.idle();
    const answered = w.api.calls.filter((c) => c.method !== 'auth.test').length;
    expect(answered).toBeGreaterThan(0);
    // The very same signed bytes again, as someone who captured them would send them.
    expect((await w.slack.post(body, 'application/x-www-form-urlencoded', { timestamp: now })).status).toBe(401);
    // Correctly signed, but dated an hour ahead: a request held back to be replayed later.
    expect((await w.slack.post(body, 'application/x-www-form-urlencoded', { timestamp: now + 3600 })).status).toBe(401);
    await w.adapter.idle();
    expect(w.api.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(answered);
  });

  it('grades an answer once even when Slack retries its event', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    const first = await ana.say(technical().modelAnswer);
    const retry = await ana.say(technical().modelAnswer, { eventId: first.eventId, retryNum: 1 });
    expect(retry.response.status).toBe(200);
    const cards = w.api.callsTo('chat.postEphemeral').filter((c) => SCORE.test(readable(c.params['text'])));
    expect(cards).toHaveLength(1);
    const turns = await w.store.turns((await w.store.activeSession(1))!.id);
    expect(turns.filter((t) => t.kind === 'main')).toHaveLength(1);
    expect(turns.find((t) => t.kind === 'followup')!.status).toBe('asked');
  });

  it('after a restart still drops a retried event, hears the owner in their thread and knows their name', async () => {
    const db = openDatabase(':memory:');
    const first = await start({ db });
    const ana = first.person({ user: 'U1ANA', name: 'Ana' });
    await ana.command(`practice ${technical().id}`);
    const thread = ana.sessionThread()!;
    const answered = await ana.say(technical().modelAnswer);
    await first.close();

    const second = await start({ db });
    const again = second.person({ user: 'U1ANA', name: 'Ana' });
    // Slack retries the answer's event across the restart: it was handled, so nothing happens.
    await again.say(technical().modelAnswer, { thread, eventId: answered.eventId, retryNum: 1 });
    expect(second.api.callsTo('chat.postEphemeral')).toEqual([]);
    // The follow-up answer in the session's thread is still Ana's to give, under her name.
    // (Event ids are Slack's, unique for good; this fake's counter starts again with each sender.)
    await again.say('I would compare precision and recall per class before and after the change.', { thread, eventId: 'EvAFTERRESTART' });
    expect(second.api.callsTo('chat.postEphemeral').some((c) => /Follow-up score/.test(readable(c.params['text'])))).toBe(true);
    expect((await second.store.userById(1))!.displayName).toBe('Ana');
    db.close();
  });

  it('never sends a ping, whatever the candidate typed', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command('practice <!channel> <@U123|bob>');
    await ana.command(`practice ${technical().id}`);
    await ana.say(`<!channel> <!here> <@U123> <!subteam^S01|@oncall> @everyone ${technical().modelAnswer} <!everyone> &lt;!channel&gt;`);
    await ana.click('share');
    const sent = w.api.everythingSent().join('\n');
    expect(sent).toMatch(/I don.t know "@\u200Bchannel"/);
    expect(sent).not.toMatch(/<!(channel|here|everyone|subteam)/);
    expect(sent).not.toMatch(/<@U/);
    expect(sent).not.toMatch(/@(channel|here|everyone)\b/i);
    for (const c of w.api.callsTo('chat.postMessage')) expect(c.params['link_names']).toBeFalsy();
  });

  it('waits out a 429 from the Web API and the session goes on', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    w.api.rateLimitNext('chat.postMessage', 1);
    await ana.command(`practice ${technical().id}`);
    expect(w.api.calls.map((c) => c.method).filter((m) => m.startsWith('chat.postMessage'))).toEqual(['chat.postMessage:429', 'chat.postMessage']);
    await ana.say(technical().modelAnswer);
    expect(w.api.callsTo('chat.postEphemeral').some((c) => SCORE.test(readable(c.params['text'])))).toBe(true);
  });

  it('keeps two workspaces apart, even for the same user id', async () => {
    const w = await start();
    const inA = w.person({ team: 'T0A', user: 'U1SAME', channel: 'C0AAA' });
    const inB = w.person({ team: 'T0B', user: 'U1SAME', channel: 'C0BBB' });
    await inA.command(`practice ${technical().id}`);
    await inA.say(technical().modelAnswer);
    await inB.command('history');
    expect(readable(inB.seen().at(-1)!.text)).toMatch(/No sessions yet/);
    await inB.command('hint');
    expect(readable(inB.seen().at(-1)!.text)).toMatch(/No practice session in progress/);
    const homeB = await inB.openHome();
    expect(JSON.stringify(homeB)).toMatch(/No graded answers yet/);
    const homeA = await inA.openHome();
    expect(JSON.stringify(homeA)).toMatch(/1\*? graded answer/);
  });

  it('tells the user it cannot post where it is not a member, through the response URL', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA', channel: 'C0PRIVATE' });
    w.api.failNext('chat.postMessage', 'not_in_channel');
    await ana.command(`practice ${technical().id}`);
    const [answer] = w.api.callsTo('response_url');
    expect(answer!.params).toMatchObject({ response_type: 'ephemeral' });
    expect(answer!.params['text']).toMatch(/cannot post in this conversation/);
  });
});

describe('Slack: App Home and DMs', () => {
  it('publishes recent sessions, averages per competency and a button for the weakest', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    await ana.say(technical().modelAnswer);
    await ana.command('end');
    const home = await ana.openHome();
    const text = readable(JSON.stringify(home));
    const competency = technical().competency;
    expect(home.type).toBe('home');
    expect(text).toContain('Weakest competency: ' + competency);
    expect(text).toMatch(/Recent sessions/);
    expect(text).toMatch(new RegExp(`${competency}\\\\n\\d+/100 · 1 answer`));
    const [practise] = buttonsOf(home);
    expect(payloadOf(practise!.actionId)).toEqual({ do: 'practice', focus: competency });
  });

  it('starts the weakest competency from App Home in the DM, where the answer is graded', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    await ana.say(technical().modelAnswer);
    await ana.command('end');
    await ana.openHome();
    await ana.clickHome('practice');
    const opener = w.api.callsTo('chat.postMessage').at(-1)!;
    expect(opener.params['channel']).toBe('U1ANA');
    expect(opener.channel).toBe('D1ANA');
    const session = (await w.store.activeSession(1))!;
    expect(session.conversation).toEqual({ platform: 'slack', workspace: 'T0A', channel: 'D1ANA' });
    expect(catalog().questions.get(session.plan[0]!)!.competency).toBe(technical().competency);

    const dm = w.person({ user: 'U1ANA', channel: 'D1ANA' });
    const posted = w.api.callsTo('chat.postMessage').length;
    await dm.say(catalog().questions.get(session.plan[0]!)!.modelAnswer);
    // In a DM, private replies are ordinary messages: ephemeral ones would vanish.
    expect(w.api.callsTo('chat.postEphemeral').filter((c) => c.channel === 'D1ANA')).toHaveLength(0);
    expect(dm.seen().some((m) => SCORE.test(readable(m.text)))).toBe(true);
    // The DM is hers alone: the scorecard and what comes next (follow-up or next question) are one message.
    const answered = w.api.callsTo('chat.postMessage').slice(posted);
    expect(answered).toHaveLength(1);
    expect(JSON.stringify(answered[0]!.params['blocks'])).toMatch(/Follow-up|Question 2|Session complete/);
  });

  it('answers "say practice" in a DM, but stays quiet in a channel', async () => {
    const w = await start();
    await w.person({ user: 'U1ANA', channel: 'D1ANA' }).say('hello?');
    expect(readable(w.api.callsTo('chat.postMessage').at(-1)!.params['text'])).toMatch(/Say `practice`/);
    const calls = w.api.calls.length;
    await w.person({ user: 'U1ANA' }).say('hello?', { thread: null });
    expect(w.api.calls.length).toBe(calls);
  });
});

describe('Slack: a whole practice conversation', () => {
  it('reads like the conversation a candidate has in a channel', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA', name: 'ana' });
    const q = behavioral();
    const lines: string[] = [];
    let shown = 0;
    const turn = async (said: string, act: () => Promise<unknown>) => {
      lines.push(`ana: ${said}`);
      await act();
      const thread = ana.sessionThread();
      for (const m of ana.seen().slice(shown)) {
        const where = m.thread === thread ? 'thread' : 'channel';
        lines.push(`bot (${m.ephemeral ? 'ana only' : 'everyone'}, ${where}): ${readable(m.text).split('\n')[0]}`);
      }
      shown = ana.seen().length;
    };

    await turn(`/sparring practice ${q.id}`, () => ana.command(`practice ${q.id}`));
    await turn('[Hint]', () => ana.click('hint'));
    await turn('(model answer)', () => ana.say(q.modelAnswer));
    await turn('(follow-up answer)', () => ana.say('I would quantify the impact in revenue and hours saved, and I agreed a 2 week timeline with the team lead.'));
    await turn('[Share with channel]', () => ana.click('share'));

    expect(lines).toEqual([
      `ana: /sparring practice ${q.id}`,
      expect.stringMatching(/^bot \(everyone, channel\): Question 1 of 1 · /),
      'ana: [Hint]',
      `bot (ana only, thread): Hint: ${q.hints[0]}`,
      'ana: (model answer)',
      expect.stringMatching(new RegExp(`^bot \\(ana only, thread\\): Score: \\d+/100 · ${q.id}$`)),
      expect.stringMatching(/^bot \(everyone, thread\): Follow-up: /),
      'ana: (follow-up answer)',
      expect.stringMatching(/^bot \(ana only, thread\): Follow-up score: \d+\/100 · /),
      expect.stringMatching(/^bot \(ana only, thread\): Session complete: 1 of 1 question graded, average \d+\/100\.$/),
      'ana: [Share with channel]',
      expect.stringMatching(new RegExp(`^bot \\(everyone, thread\\): ana shared a scorecard: \\d+/100 · ${q.id}$`)),
    ]);
  });

  it('delivers, on start, the grades of answers a crash left ungraded', async () => {
    const db = openDatabase(':memory:');
    const first = await start({ db });
    const ana = first.person({ user: 'U1ANA' });
    await ana.command(`practice ${technical().id}`);
    const thread = ana.sessionThread();
    const session = (await first.store.activeSession(1))!;
    // The crash: the answer was stored, then the process died before grading it.
    await first.store.recordAnswer((await first.store.currentTurn(session.id))!.id, technical().modelAnswer, first.clock.now());
    await first.close();

    const second = await start({ db });
    const [card] = second.api.callsTo('chat.postEphemeral');
    expect(card!.params).toMatchObject({ channel: 'C0PRACTICE', user: 'U1ANA', thread_ts: thread });
    expect(readable(card!.params['text'])).toMatch(SCORE);
    db.close();
  });
});
