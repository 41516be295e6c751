import { afterEach, describe, expect, it } from 'vitest';
import { createDrillStore } from '../../src/store/drill-store.js';
import { buttonsOf, type SeenMessage } from '../fakes/slack-api.js';
import { catalog, questionOfKind } from '../support/harness.js';
import { payloadOf, readable, slackWorld, type SlackWorld } from './slack-world.js';

/** Drills, mock interviews, the progress chart and forget-me, through Bolt's HTTP receiver against the fake Web API. */

const technical = () => questionOfKind('technical');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let world: SlackWorld | undefined;
const start = async () => (world = await slackWorld());
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const textOf = (m: SeenMessage) => readable(m.visibleText);

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Nothing the bot sent may notify anyone. */
function expectNoPings(w: SlackWorld) {
  const sent = w.api.everythingSent().join('\n');
  expect(sent).not.toMatch(/<!(channel|here|everyone|subteam)/);
  expect(sent).not.toMatch(/<@[UW]/);
  expect(sent).not.toMatch(/@(channel|here|everyone)\b/i);
  for (const c of w.api.callsTo('chat.postMessage')) expect(c.params['link_names']).toBeFalsy();
}

describe('Slack: a drill in a thread', () => {
  const scenario = () => catalog().drills.get('holiday-fraud-drift')!;
  const inject = (id: string) => scenario().injects.find((i) => i.id === id)!;

  it('opens in a thread, takes roles by button, records the thread, releases timed injects and ends with the report', async () => {
    const w = await start();
    const drills = createDrillStore(w.db);
    const fran = w.person({ user: 'U1FRAN', name: 'fran' });
    const ivan = w.person({ user: 'U3IVAN', name: 'ivan' });
    const mia = w.person({ user: 'U4MIA', name: 'mia' });

    await fran.command(`drill ${scenario().id}`);
    const [opener, roles] = w.api.callsTo('chat.postMessage');
    expect(opener!.params).toMatchObject({ channel: 'C0PRACTICE' });
    expect(opener!.params['thread_ts']).toBeUndefined();
    expect(readable(opener!.params['text'])).toContain(`Drill: ${scenario().title}`);
    const thread = opener!.ts!;
    const room = { platform: 'slack' as const, workspace: 'T0A', channel: 'C0PRACTICE', thread };
    expect(await w.bot.listensIn(room)).toBe(true);
    expect(roles!.params['thread_ts']).toBe(thread);
    expect(buttonsOf({ blocks: roles!.params['blocks'] }).map((b) => payloadOf(b.actionId))).toContainEqual({ do: 'drill-join', role: 'incident-commander' });

    await ivan.click({ do: 'drill-join', role: 'incident-commander' });
    await mia.click({ do: 'drill-join', role: 'ml-engineer' });
    const inThread = () => w.api.messages().filter((m) => m.thread === thread && !m.ephemeral);
    expect(inThread().map(textOf).join('\n')).toMatch(/ivan joined as Incident Commander[\s\S]*mia joined as ML Engineer/i);

    // A slash command arrives with the channel only; the adapter finds the channel's drill thread.
    await fran.command('drill begin');
    expect(inThread().map(textOf).join('\n')).toContain(inject('pager').title);

    // Every person's words in the drill thread are recorded; chatter outside it and bots are not.
    const drill = (await drills.drillIn(room))!;
    await mia.say('I will check the feature distribution and skip the retrain for now', { thread });
    await ivan.say('skip', { thread });
    await mia.say('lunch?', { thread: null });
    await w.slack.event('T0A', { type: 'message', channel: 'C0PRACTICE', channel_type: 'channel', thread_ts: thread, ts: '9.9', bot_id: 'B9', user: 'U9BOT', text: 'a bot' });
    await w.adapter.idle();
    const said = (await drills.events(drill.id)).filter((e) => e.kind === 'message');
    expect(said.map((e) => [e.displayName, e.value])).toEqual([
      ['mia', 'I will check the feature distribution and skip the retrain for now'],
      ['ivan', 'skip'],
    ]);

    // The tick loop releases the timed inject once the clock passes its due time.
    const before = inThread().length;
    w.clock.advance(5 * 60_000);
    await until(() => inThread().slice(before).some((m) => textOf(m).includes(inject('precision-by-day').title)));
    await w.adapter.idle();
    const fallback = (b: { actionId: string }) => { const a = payloadOf(b.actionId); return a?.do === 'drill-decide' && a.option === 'fallback-rules'; };
    const decision = inThread().find((m) => buttonsOf(m).some(fallback))!;
    expect(decision).toBeDefined();

    await ivan.click(payloadOf(buttonsOf(decision).find(fallback)!.actionId)!);
    expect(inThread().map(textOf).join('\n')).toMatch(/Decision: [^\n]*\(ivan, Incident commander\)/i);
    expect(inThread().map(textOf).join('\n')).toContain(inject('rules-live').title);

    // Only the facilitator ends it, typed in the thread; the report is posted there.
    await mia.say('drill end', { thread });
    expect(textOf(w.api.messages().filter((m) => m.ephemeral && m.user === 'U4MIA').at(-1)!)).toMatch(/Only the facilitator/);
    await fran.say('drill end', { thread });
    expect(textOf(inThread().at(-1)!)).toMatch(/After-action report/);
    expect(await w.bot.listensIn(room)).toBe(false);
    expectNoPings(w);
  });
});

describe('Slack: a mock interview', () => {
  it("still sends the candidate their question when the manager's channel cannot be posted in", async () => {
    const w = await start();
    const maya = w.person({ user: 'U1MAYA', name: 'maya', channel: 'C0NOTIN' });
    const q = technical();
    w.api.failNext('chat.postEphemeral', 'not_in_channel');
    await maya.command(`mock <@U2CARA|cara> ${q.id}`);
    // The manager hears why through the command's response URL...
    expect(w.api.callsTo('response_url').map((c) => String(c.params['text']))).toEqual([expect.stringMatching(/cannot post in this conversation/)]);
    // ...and the rest of the batch still goes out: the interview does not start without its question.
    const question = w.api.messages().find((m) => m.channel === 'D2CARA');
    expect(question && textOf(question)).toContain(q.prompt.slice(0, 60));
  });

  it('interviews the candidate in their DM, scores privately for the panel, and refuses strangers', async () => {
    const w = await start();
    const maya = w.person({ user: 'U1MAYA', name: 'maya', channel: 'C0HIRING' });
    const q = technical();
    await maya.command(`mock <@U2CARA|cara> ${q.id}`);

    expect(w.api.callsTo('conversations.open').map((c) => c.params['users'])).toContain('U2CARA');
    const question = w.api.messages().find((m) => m.channel === 'D2CARA')!;
    expect(question.ephemeral).toBe(false);
    expect(textOf(question)).toContain(q.prompt.slice(0, 60));
    const started = w.api.messages().find((m) => m.ephemeral && m.user === 'U1MAYA')!;
    expect(started.channel).toBe('C0HIRING');
    expect(textOf(started)).toMatch(/Mock interview #1 with cara has started/);

    // The candidate answers in the DM: they hear no score; the panel's scorecard is ephemeral to the manager.
    const cara = w.person({ user: 'U2CARA', name: 'cara', channel: 'D2CARA' });
    const shown = cara.seen().length;
    await cara.say(q.modelAnswer);
    expect(cara.seen().slice(shown).length).toBeGreaterThan(0);
    expect(cara.seen().slice(shown).map(textOf).join('\n')).not.toMatch(/\/100/);
    const card = w.api.messages().filter((m) => m.ephemeral && m.user === 'U1MAYA').at(-1)!;
    expect(card.channel).toBe('C0HIRING');
    expect(textOf(card)).toMatch(/Mock #1 · cara answered question 1 .*bot score \d+\/100/);

    // The score modal round trip.
    await maya.click('mock-score');
    const view = w.api.callsTo('views.open').at(-1)!.params['view'];
    expect(view.callback_id).toBe('form:mock-score:1:1');
    expect(view.blocks.map((b: any) => b.block_id)).toEqual(['score', 'notes']);
    await maya.submitForm({ score: '80', notes: 'Clear structure' });
    const recorded = w.api.messages().filter((m) => m.ephemeral && m.user === 'U1MAYA').at(-1)!;
    expect(textOf(recorded)).toMatch(/Recorded your 80\/100 for question 1 of mock #1/);

    const stranger = w.person({ user: 'U9XAV', name: 'xavier', channel: 'C0HIRING' });
    await stranger.command('mock show 1');
    const refusal = w.api.messages().filter((m) => m.user === 'U9XAV').at(-1)!;
    expect(refusal.ephemeral).toBe(true);
    expect(textOf(refusal)).toMatch(/No mock interview #1 that you can see/);

    // Release: the candidate gets the bot's feedback in their DM, never the panel's notes.
    await maya.command('mock show 1');
    expect(textOf(w.api.messages().filter((m) => m.user === 'U1MAYA').at(-1)!)).toMatch(/maya\n80\/100 · Clear structure/);
    await maya.click('mock-release');
    const feedback = cara.seen().at(-1)!;
    expect(textOf(feedback)).toMatch(/Feedback on your mock interview #1/);
    expect(textOf(feedback)).not.toContain('Clear structure');
    expectNoPings(w);
  });
});

describe('Slack: progress and forget-me', () => {
  it('/sparring progress uploads the chart to the DM, and App Home shows it as an image block', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA', name: 'ana' });
    await ana.command(`practice ${technical().id}`);
    await ana.say(technical().modelAnswer);
    await ana.command('progress');

    const reply = w.api.messages().filter((m) => m.ephemeral && m.user === 'U1ANA').at(-1)!;
    expect(textOf(reply)).toMatch(/Your progress: 1 graded answer/);
    expect(textOf(reply)).toMatch(/chart is in your direct messages/);
    expect(w.api.callsTo('conversations.open').map((c) => c.params['users'])).toContain('U1ANA');
    const [upload] = w.api.uploads();
    expect(upload).toMatchObject({ channel: 'D1ANA', filename: 'progress.png' });
    expect([...upload!.bytes!.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(w.api.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(w.api.callsTo('files.completeUploadExternal')[0]!.params['channel_id']).toBe('D1ANA');

    const home = await ana.openHome();
    const image = home.blocks.find((b: any) => b.type === 'image');
    const shared = w.api.uploads().at(-1)!;
    expect(image).toMatchObject({ type: 'image', slack_file: { id: shared.id } });
    expect(image.alt_text).toBeTruthy();
    expect(shared.channel).toBeUndefined();
    expect([...shared.bytes!.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // Opening App Home again with the same chart does not upload it again.
    await ana.openHome();
    expect(w.api.uploads()).toHaveLength(2);
  });

  it('forget-me asks with a danger button and a confirm dialog, then deletes the user', async () => {
    const w = await start();
    const ana = w.person({ user: 'U1ANA', name: 'ana' });
    await ana.command(`practice ${technical().id}`);
    await ana.say(technical().modelAnswer);
    await ana.command('forget-me');

    const ask = w.api.messages().filter((m) => m.ephemeral && m.user === 'U1ANA').at(-1)!;
    expect(textOf(ask)).toMatch(/deletes everything Sparring keeps about you/);
    const button = ask.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements).find((e: any) => payloadOf(e.action_id)?.do === 'forget-me');
    expect(button).toMatchObject({ style: 'danger', confirm: { style: 'danger' } });

    await ana.click('forget-me');
    expect(textOf(w.api.messages().filter((m) => m.user === 'U1ANA').at(-1)!)).toMatch(/Done: \d+ records? about you were deleted/);
    await ana.command('history');
    expect(textOf(w.api.messages().filter((m) => m.user === 'U1ANA').at(-1)!)).toMatch(/No sessions yet/);
    expectNoPings(w);
  });
});

describe('Slack: people a typed command names', () => {
  it('resolves a mention typed in a message to the person, with the name it carried', async () => {
    const w = await start();
    const maya = w.person({ user: 'U1MAYA', name: 'maya', channel: 'C0HIRING' });
    await maya.command(`mock <@U2CARA|cara> ${technical().id}`);
    const dm = w.person({ user: 'U1MAYA', name: 'maya', channel: 'D1MAYA' });
    await dm.say('mock panel 1 <@U3OMAR|omar>');
    expect(textOf(w.api.messages().filter((m) => m.user === 'U1MAYA' || m.channel === 'D1MAYA').at(-1)!)).toMatch(/omar now scores mock #1/);
    // The mention named Omar's user id, not a user called "omar": he now sees the panel's scorecard.
    const omar = w.person({ user: 'U3OMAR', name: 'omar', channel: 'C0HIRING' });
    await omar.command('mock show 1');
    expect(textOf(w.api.messages().filter((m) => m.user === 'U3OMAR').at(-1)!)).toMatch(/Mock interview #1: cara/);
    expectNoPings(w);
  });
});
