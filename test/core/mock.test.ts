import { describe, expect, it } from 'vitest';
import { actionName } from '../../src/core/kernel/actions.js';
import { mockReportFor } from '../../src/core/mock/flow.js';
import { mockReportCsv, mockReportMarkdown } from '../../src/core/mock/report.js';
import type { Reply } from '../../src/core/kernel/types.js';
import { catalog, harness, questionOfKind } from '../support/harness.js';

const everything = (r: Reply) => [r.text, ...(r.sections ?? []).flatMap((s) => [s.title ?? '', s.body ?? '', ...(s.fields ?? []).flat()])].join('\n');

/** A manager interviews a candidate on two questions with a second manager on the panel. */
async function panelMock() {
  const h = await harness();
  const maya = h.room.user('M1', 'Maya', { channel: 'hiring' });
  const omar = h.room.user('M2', 'Omar', { channel: 'hiring' });
  const cara = h.room.user('C1', 'Cara', { channel: '@C1' });
  const ids = [...catalog().questions.values()].filter((q) => q.kind !== 'behavioral').slice(0, 2).map((q) => q.id);
  const started = await maya.command('mock', '<@C1|Cara>', ...ids);
  const mockId = Number(/#(\d+)/.exec(started[0]!.text)![1]);
  await maya.command('mock', 'panel', String(mockId), '<@M2|Omar>');
  return { h, maya, omar, cara, ids, started, mockId };
}

describe('a mock interview run by hiring managers', () => {
  it('explains itself to whoever asks, privately: a bare `mock` or `mock help` lists what each verb does', async () => {
    const h = await harness();
    const maya = h.room.user('M1', 'Maya', { channel: 'hiring' });
    for (const asked of [await maya.command('mock'), await maya.command('mock', 'help')]) {
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ visibility: { onlyFor: { userId: 'M1' } } });
      expect(asked[0]!.text).toMatch(/^\*\*Mock interviews\*\*/);
      expect(asked[0]!.text).toContain('`mock release <id>`');
    }
  });

  it('interviews the candidate privately and gives the panel the scores', async () => {
    const { h, maya, omar, cara, ids, started, mockId } = await panelMock();
    expect(started[0]).toMatchObject({ visibility: { onlyFor: { userId: 'M1' } } });
    expect(started[1]).toMatchObject({ to: { channel: '@C1' }, role: 'question', opens: { kind: 'direct', person: { userId: 'C1' } } });
    expect(started[1]!.text).toContain(catalog().questions.get(ids[0]!)!.prompt);

    const q1 = catalog().questions.get(ids[0]!)!;
    const afterAnswer = await cara.say(q1.modelAnswer);
    const toCara = afterAnswer.filter((r) => r.to.channel === '@C1');
    const toPanel = afterAnswer.filter((r) => r.to.channel === 'hiring');
    expect(toCara.map((r) => r.role)).toEqual(['info', 'probe']);
    expect(toCara.map(everything).join('\n')).not.toMatch(/\/100/); // no score for the candidate
    expect(toPanel.map((r) => r.visibility)).toEqual([{ onlyFor: expect.objectContaining({ userId: 'M1' }) }, { onlyFor: expect.objectContaining({ userId: 'M2' }) }]);
    expect(toPanel[0]!.text).toMatch(/Cara answered question 1 .*bot score \*\*\d+\/100/);

    await cara.command('next');
    const q2 = catalog().questions.get(ids[1]!)!;
    await cara.say(q2.modelAnswer.split('. ').slice(0, 2).join('. '));
    const end = await cara.command('next');
    expect(end.find((r) => r.to.channel === '@C1' && r.role === 'summary')!.text).toMatch(/end of the interview/);
    const panelCard = end.filter((r) => r.to.channel === 'hiring');
    expect(panelCard).toHaveLength(2);

    await maya.command('mock', 'score', String(mockId), '1', '80', 'Clear', 'structure;', 'missed', 'the', 'baseline');
    await omar.command('mock', 'score', String(mockId), '1', '55', 'Too', 'generic');
    await omar.submit({ for: 'mock-score', mock: mockId, question: 2 }, { score: '30', notes: 'Did not quantify\nanything' });

    const [card] = await maya.command('mock', 'show', String(mockId));
    const text = everything(card!);
    expect(text).toMatch(/Maya\n80\/100 · Clear structure; missed the baseline/);
    expect(text).toMatch(/Omar\n55\/100 · Too generic/);
    expect(text).toMatch(/Omar\n30\/100 · Did not quantify\nanything/);
    expect(text).toMatch(/Spread/);
    expect(text).toMatch(/Most disagreement: question \d/);

    const report = await mockReportFor({ catalog: catalog(), store: h.store, mocks: h.mocks }, (await h.mocks.getMock(mockId))!);
    expect(report.questions[0]!.scorers.map((s) => s.name)).toEqual(['Maya', 'Omar']);
    expect(report.questions[0]!.spread).toBe(Math.max(80, 55, report.questions[0]!.bot!) - Math.min(80, 55, report.questions[0]!.bot!));
  });

  it('refuses the scorecard to anyone outside the panel, and to the candidate until released', async () => {
    const { h, maya, cara, mockId } = await panelMock();
    const stranger = h.room.user('X9', 'Xavier', { channel: 'hiring' });
    expect((await stranger.command('mock', 'show', String(mockId)))[0]!.text).toMatch(/No mock interview #\d+ that you can see/);
    expect((await stranger.command('mock', 'score', String(mockId), '1', '100'))[0]!.text).toMatch(/that you can see/);
    expect((await cara.command('mock', 'show', String(mockId)))[0]!.text).toMatch(/that you can see/);
    expect((await cara.command('history'))[0]!.sections![0]!.fields![0]![1]).toMatch(/feedback not released/);

    await maya.command('mock', 'score', String(mockId), '1', '70', 'SECRET-NOTE');
    const released = await maya.command('mock', 'release', String(mockId));
    const toCara = released.find((r) => r.to.channel === '@C1')!;
    expect(toCara.visibility).toEqual({ onlyFor: expect.objectContaining({ userId: 'C1' }) });
    const [seen] = await cara.command('mock', 'show', String(mockId));
    for (const r of [toCara, seen!]) {
      expect(everything(r)).not.toContain('SECRET-NOTE');
      expect(everything(r)).not.toContain('Maya');
    }
  });

  it('keeps each workspace to itself', async () => {
    const { h, mockId } = await panelMock();
    const elsewhere = h.room.user('M1', 'Maya', { workspace: 'other', channel: 'hiring' });
    expect((await elsewhere.command('mock', 'show', String(mockId)))[0]!.text).toMatch(/that you can see/);
    expect((await elsewhere.command('mock', 'list'))[0]!.text).toMatch(/no mock interviews yet/);
  });

  it('exports the scorecard as Markdown and CSV', async () => {
    const { h, maya, omar, cara, ids, mockId } = await panelMock();
    await cara.say(catalog().questions.get(ids[0]!)!.modelAnswer);
    await maya.command('mock', 'score', String(mockId), '1', '75', 'Good, "quoted", comma');
    await omar.command('mock', 'score', String(mockId), '1', '60');
    const report = await mockReportFor({ catalog: catalog(), store: h.store, mocks: h.mocks }, (await h.mocks.getMock(mockId))!);
    const md = mockReportMarkdown(report);
    expect(md).toMatch(/^# Mock interview #\d+: Cara/);
    expect(md).toContain('- Maya: 75/100: Good, "quoted", comma');
    expect(md).toContain('## By competency');
    const csv = mockReportCsv(report).trim().split('\n');
    expect(csv[0]).toBe('mock_id,candidate,question_number,question_id,competency,scorer,score,notes');
    expect(csv).toContain(`${mockId},Cara,1,${ids[0]},${catalog().questions.get(ids[0]!)!.competency},Maya,75,"Good, ""quoted"", comma"`);
    expect(csv.filter((l) => l.includes(',bot,'))).toHaveLength(1); // one question asked so far
  });

  it('will not let a manager interview themselves in chat', async () => {
    const h = await harness();
    const [r] = await h.room.user('M1', 'Maya').command('mock', '<@M1>');
    expect(r!.text).toMatch(/cannot interview yourself/);
  });
});

describe('the people a mock names', () => {
  it('come as data: the candidate\'s name is the one the platform showed, whatever word stood for them', async () => {
    const h = await harness();
    const maya = h.room.user('M1', 'Maya', { channel: 'hiring' });
    const q = questionOfKind('technical');
    const started = await h.bot.handle({ kind: 'command', name: 'mock', args: ['@C9', q.id], people: [{ userId: 'C9', displayName: 'Cara Lee' }], actor: maya.actor, conversation: maya.conversation });
    expect(started[0]!.text).toMatch(/with Cara Lee has started/);
    expect(started[1]).toMatchObject({ to: { channel: '@C9' }, role: 'question' });
    const mockId = /#(\d+)/.exec(started[0]!.text)![1]!;
    const added = await h.bot.handle({ kind: 'command', name: 'mock', args: ['panel', mockId, '@M2'], people: [{ userId: 'M2', displayName: 'Omar' }], actor: maya.actor, conversation: maya.conversation });
    expect(added[0]!.text).toBe(`Omar now scores mock #${mockId}.`);
  });

  it('or as a bare word typed as text, where no platform resolved a mention', async () => {
    const h = await harness();
    const maya = h.room.user('M1', 'Maya', { channel: 'hiring' });
    const [started] = await maya.say(`/mock @C2 ${questionOfKind('technical').id}`);
    expect(started!.text).toMatch(/with C2 has started/);
    expect((await maya.say('/mock panel 1 U123'))[0]!.text).toBe('U123 now scores mock #1.');
  });
});

describe('the candidate in a mock interview', () => {
  it('gets no hints, answers or passes follow-ups, cannot start practice in the interview and sees it named in history', async () => {
    const { cara, ids } = await panelMock();
    expect((await cara.command('hint'))[0]!.text).toBe('Hints are off in a mock interview.');
    const probe = (await cara.say(catalog().questions.get(ids[0]!)!.modelAnswer)).find((r) => r.role === 'probe');
    expect(probe!.actions!.map((a) => actionName(a.action))).toEqual(['answer-form', 'next']);
    expect((await cara.command('practice', '1'))[0]!.text).toMatch(/You are in a mock interview here/);
    const [history] = await cara.command('history');
    expect(history!.sections![0]!.fields![0]![0]).toMatch(/ · mock interview$/);
  });
});
