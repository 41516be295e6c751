import { targetFor } from '../practice/target.js';
import type { Grade } from '../kernel/grading.js';
import { UserError } from '../kernel/errors.js';
import type { MockRecord, MockStore } from './ports.js';
import { buildMockReport, type MockReport } from './report.js';
import type { SessionRecord, TurnRecord } from '../practice/ports.js';
import { scorecardSections, shortQuote } from '../practice/scorecard.js';
import { parseSelection, planSession } from '../practice/select.js';
import type { Actor, ConversationRef, PersonRef, Reply, ReplySection } from '../kernel/types.js';
import type { PracticeCtx, PracticeDeps, SessionModeHooks } from '../practice/context.js';
import { privateReply } from '../kernel/replies.js';
import type { Action, FormPayload } from '../kernel/actions.js';
import { directRoom, personOf } from '../kernel/rooms.js';

export type MockDeps = PracticeDeps & { mocks: MockStore };
export type MockCtx = Omit<PracticeCtx, 'deps'> & { deps: MockDeps };

/**
 * Who a person argument names: the person the platform resolved from its mention or picker
 * (with the name it showed), else the word as typed where nothing resolved it: `@ana`, `U123`.
 */
function personNamed(word: string | undefined, people: readonly PersonRef[]): PersonRef | undefined {
  if (people[0]) return people[0];
  const m = word === undefined ? null : /^@?([A-Za-z0-9_.-]+)$/.exec(word);
  return m ? { userId: m[1]! } : undefined;
}

/** Mock replies say their role themselves (a scorecard, a notice), so none is assumed. */
function tellActor(to: ConversationRef, actor: Actor, text: string, extra: Partial<Reply> = {}): Reply {
  const { role: _assumed, ...reply } = privateReply(to, actor, text);
  return { ...reply, ...extra };
}

async function panelActors(deps: MockDeps, mock: MockRecord): Promise<Actor[]> {
  const actors: Actor[] = [];
  for (const p of await deps.mocks.panel(mock.id)) {
    const u = await deps.store.userById(p.userId);
    if (u) actors.push({ ...u.actor, isBot: false });
  }
  return actors;
}

export async function mockReportFor(deps: Pick<MockDeps, 'catalog' | 'store' | 'mocks'>, mock: MockRecord): Promise<MockReport> {
  const candidate = (await deps.store.userById(mock.candidateId))?.displayName ?? 'candidate';
  const panel = (await deps.mocks.panel(mock.id)).map((p) => p.displayName);
  const turns = mock.sessionId ? await deps.store.turns(mock.sessionId) : [];
  return buildMockReport(mock, { candidate, panel }, turns, await deps.mocks.scores(mock.id), deps.catalog);
}

/** The panel's view: every question with the bot's score, each scorer's, their spread and notes. */
function panelScorecard(mock: MockRecord, report: MockReport): Pick<Reply, 'text' | 'sections' | 'actions' | 'role'> {
  const sections: ReplySection[] = report.questions.map((q) => ({
    title: `${q.number}. ${q.questionId} (${q.competency})`,
    fields: [
      ['Bot', q.bot === undefined ? 'not graded' : `${q.bot}/100${q.followUp?.bot !== undefined ? ` · follow-up ${q.followUp.bot}/100` : ''}`],
      ...q.scorers.map((s): [string, string] => [s.name, `${s.score}/100${s.notes ? ` · ${s.notes}` : ''}`]),
      ...(q.spread !== undefined ? [['Spread', String(q.spread)] as [string, string]] : []),
    ],
  }));
  sections.push({
    title: 'By competency',
    fields: report.competencies.map((c): [string, string] => [c.competency, `bot ${c.bot ?? '–'} · panel ${c.panel ?? '–'}`]),
  });
  const disagreement = report.disagreement ? `\nMost disagreement: question ${report.disagreement.number} (spread ${report.disagreement.spread}).` : '';
  return {
    role: 'scorecard',
    text: `**Mock interview #${mock.id}: ${report.candidate}** (${report.status}${report.released ? ', feedback released' : ''})\nOverall: bot ${report.overall.bot ?? '–'}/100 · panel ${report.overall.panel ?? '–'}/100${disagreement}`,
    sections,
    actions: mock.released ? [] : [{ action: { do: 'mock-release', mock: mock.id }, label: 'Release feedback to candidate' }],
  };
}

/** What the candidate may see once released: the bot's feedback, never the panel's scores or notes. */
function candidateFeedback(mock: MockRecord, report: MockReport): Pick<Reply, 'text' | 'sections' | 'role'> {
  return {
    role: 'scorecard',
    text: `**Feedback on your mock interview #${mock.id}**: overall ${report.overall.bot ?? '–'}/100`,
    sections: report.questions.map((q) => ({
      title: `${q.number}. ${q.questionId}: ${q.bot ?? '–'}/100`,
      body: [...q.strengths.map((s) => `✓ ${s}`), ...q.gaps.map((g) => `△ ${g}`)].join('\n') || 'No detail recorded.',
    })),
  };
}

export async function startMock(ctx: MockCtx, args: string[], people: readonly PersonRef[] = []): Promise<Reply[]> {
  const { deps } = ctx;
  const [who, ...rest] = args;
  const mention = personNamed(who, people);
  if (!mention) throw new UserError('Name the candidate: `mock @candidate [track|question…] [--questions N]`.');
  const isSelf = mention.userId === ctx.actor.userId;
  // One person plays both roles only in the terminal, where there is nobody else.
  if (isSelf && ctx.actor.platform !== 'cli') throw new UserError('You cannot interview yourself; use `practice` instead.');
  const candidateActor: Actor = { platform: ctx.actor.platform, workspace: ctx.actor.workspace, userId: mention.userId, displayName: mention.displayName ?? mention.userId, isBot: false };
  const candidate = isSelf ? ctx.user : (await deps.store.userById((await deps.store.upsertUser(candidateActor)).id))!;
  const selection = parseSelection(rest, deps.catalog);
  const plan = planSession(selection, deps.catalog, await deps.store.lastAsked(candidate.id), `mock:${candidate.key}`);
  const room = directRoom(candidateActor);
  const now = deps.clock.now();
  const previous = await deps.store.activeSession(candidate.id, room);
  if (previous && previous.mode === 'mock') throw new UserError(`${candidateActor.displayName} is already in a mock interview.`);
  const session = await deps.store.createSession(candidate.id, room, plan, now, 'mock');
  const mock = await deps.mocks.createMock({ managerId: ctx.user.id, candidateId: candidate.id, sessionId: session.id, managerConversation: ctx.conversation, createdAt: now });
  const q = deps.catalog.questions.get(plan[0]!)!;
  await deps.store.addTurn({ sessionId: session.id, questionId: q.id, kind: 'main', prompt: q.prompt, askedAt: now });
  return [
    tellActor(ctx.conversation, ctx.actor, `**Mock interview #${mock.id}** with ${candidateActor.displayName} has started (${plan.length} question${plan.length === 1 ? '' : 's'}). You will get a private scorecard after each answer. \`mock help\` for scoring, panel and release.`, { role: 'info' }),
    {
      to: room,
      visibility: 'public',
      role: 'question',
      opens: { kind: 'direct', person: personOf(candidateActor) },
      text: `**Mock interview** from ${ctx.actor.displayName}: ${plan.length} question${plan.length === 1 ? '' : 's'}. Answer each one here as you would in the interview; there are no hints.\n\n**Question 1 of ${plan.length}** · ${q.competency}\n\n${q.prompt}${q.context ? `\n\n${q.context}` : ''}`,
      actions: [{ action: { do: 'answer-form' }, label: 'Answer in a form', style: 'primary' }, { action: { do: 'command', name: 'end' }, label: 'End', style: 'danger' }],
    },
  ];
}

/** After each graded answer: the candidate hears only that it was recorded; the panel gets the scorecard. */
export async function mockGraded(deps: MockDeps, session: SessionRecord, turn: TurnRecord, grade: Grade): Promise<Reply[]> {
  const mock = await deps.mocks.mockForSession(session.id);
  if (!mock) return [];
  const candidate = (await deps.store.userById(mock.candidateId))?.displayName ?? 'The candidate';
  const question = deps.catalog.questions.get(turn.questionId);
  const criteria = question ? targetFor(question, deps.catalog).criteria : [];
  const label = turn.kind === 'main' ? `question ${session.position + 1} (${turn.questionId})` : `the follow-up on ${turn.questionId}`;
  return (await panelActors(deps, mock)).map((actor) =>
    tellActor(mock.managerConversation, actor, `**Mock #${mock.id}** · ${candidate} answered ${label}: bot score **${Math.round(grade.score)}/100**`, {
      role: 'scorecard',
      sections: [{ title: 'Answer', body: `> ${shortQuote(turn.answer ?? '')}` }, ...scorecardSections(grade, turn.kind === 'main' ? criteria : criteria.filter((c) => c.id === turn.probeGap))],
      actions: turn.kind === 'main' ? [{ action: { do: 'mock-score', mock: mock.id, question: session.position + 1 }, label: 'Add your score' }] : [],
    }),
  );
}

/** How a mock session differs from practice; the bot registers it as practice's `mock` mode. */
export function createMockSessionMode(mocks: MockStore): SessionModeHooks {
  return {
    async graded(ctx, session, turn, grade) {
      // The candidate sees no score during a mock interview; the panel does.
      return [
        tellActor(ctx.conversation, ctx.actor, 'Thank you, your answer is recorded.', { role: 'info' }),
        ...(await mockGraded({ ...ctx.deps, mocks }, session, turn, grade)),
      ];
    },
    async finished(ctx, session) {
      return [
        { to: ctx.conversation, visibility: 'public', text: 'That is the end of the interview. Thank you! The interviewer decides whether to share feedback with you.', role: 'summary' },
        ...(await mockFinished({ ...ctx.deps, mocks }, session)),
      ];
    },
    async hidesScores(_ctx, session) {
      return !(await mocks.mockForSession(session.id))?.released;
    },
    label: 'mock interview',
    hintsOff: 'Hints are off in a mock interview.',
    // The interview keeps its own pace: a follow-up is answered or passed, not hinted at or ended.
    followUpExtras: [],
    refusesPractice: 'You are in a mock interview here; finish it (answer, or say `end`) before practising.',
  };
}

export async function mockFinished(deps: MockDeps, session: SessionRecord): Promise<Reply[]> {
  const mock = await deps.mocks.mockForSession(session.id);
  if (!mock) return [];
  await deps.mocks.finishMock(mock.id, deps.clock.now());
  const done = (await deps.mocks.getMock(mock.id))!;
  const report = await mockReportFor(deps, done);
  return (await panelActors(deps, done)).map((actor) => tellActor(done.managerConversation, actor, '', panelScorecard(done, report)));
}

async function mockById(ctx: MockCtx, idText: string | undefined): Promise<MockRecord> {
  const id = Number(idText);
  const mock = Number.isInteger(id) ? await ctx.deps.mocks.getMock(id) : undefined;
  // The same answer for "no such interview" and "not yours": ids are not a way to probe.
  const onPanel = mock && (await ctx.deps.mocks.panel(mock.id)).some((p) => p.userId === ctx.user.id);
  if (!mock || !(onPanel || (mock.candidateId === ctx.user.id && mock.released))) {
    throw new UserError(`No mock interview #${idText ?? '?'} that you can see. Only its panel and, once feedback is released, its candidate can.`);
  }
  return mock;
}

async function requirePanel(ctx: MockCtx, mock: MockRecord): Promise<void> {
  if (!(await ctx.deps.mocks.panel(mock.id)).some((p) => p.userId === ctx.user.id)) throw new UserError('Only the interview panel can do that.');
}

/** A mock verb and its arguments; `help` and a bare `mock` are answered by the registry. */
export async function mockCommand(ctx: MockCtx, args: string[], people: readonly PersonRef[] = []): Promise<Reply[]> {
  const { deps } = ctx;
  const [verb = '', ...rest] = args;
  const tell = (text: string, extra: Partial<Reply> = {}) => [tellActor(ctx.conversation, ctx.actor, text, { role: 'info', ...extra })];
  switch (verb) {
    case 'list': {
      const mocks = await deps.mocks.mocksForPanelist(ctx.user.id, 20);
      if (!mocks.length) return tell('You have no mock interviews yet. `mock @candidate` starts one.');
      const fields: [string, string][] = [];
      for (const m of mocks) {
        const candidate = (await deps.store.userById(m.candidateId))?.displayName ?? '?';
        fields.push([`#${m.id} · ${new Date(m.createdAt).toISOString().slice(0, 10)}`, `${candidate} · ${m.status}${m.released ? ' · released' : ''}`]);
      }
      return tell('**Your mock interviews**', { sections: [{ fields }] });
    }
    case 'show': {
      const mock = await mockById(ctx, rest[0]);
      const report = await mockReportFor(deps, mock);
      const onPanel = (await deps.mocks.panel(mock.id)).some((p) => p.userId === ctx.user.id);
      return [tellActor(ctx.conversation, ctx.actor, '', onPanel ? panelScorecard(mock, report) : candidateFeedback(mock, report))];
    }
    case 'score': {
      const [id, number, scoreText, ...notes] = rest;
      return recordScore(ctx, id, number, scoreText, notes.join(' '));
    }
    case 'panel': {
      const mock = await mockById(ctx, rest[0]);
      await requirePanel(ctx, mock);
      const mention = personNamed(rest[1], people);
      if (!mention) throw new UserError('Name the scorer to add: `mock panel <id> @manager`.');
      const actor: Actor = { platform: ctx.actor.platform, workspace: ctx.actor.workspace, userId: mention.userId, displayName: mention.displayName ?? mention.userId, isBot: false };
      const added = await deps.store.upsertUser(actor);
      if (added.id === mock.candidateId) throw new UserError('The candidate cannot score their own interview.');
      await deps.mocks.addPanelist(mock.id, added.id, deps.clock.now());
      return tell(`${actor.displayName} now scores mock #${mock.id}.`);
    }
    case 'release': {
      const mock = await mockById(ctx, rest[0]);
      await requirePanel(ctx, mock);
      await deps.mocks.release(mock.id);
      const released = (await deps.mocks.getMock(mock.id))!;
      const candidate = await deps.store.userById(mock.candidateId);
      const replies = tell(`Feedback for mock #${mock.id} is released to the candidate (the bot's feedback only; your notes stay with the panel).`);
      if (candidate) {
        const actor: Actor = { ...candidate.actor, isBot: false };
        // The interview's own room, once an adapter has opened it as a DM or private thread.
        const room = (mock.sessionId && (await deps.store.getSession(mock.sessionId))?.conversation) || directRoom(actor);
        replies.push(tellActor(room, actor, '', candidateFeedback(released, await mockReportFor(deps, released))));
      }
      return replies;
    }
    case 'end': {
      const mock = await mockById(ctx, rest[0]);
      await requirePanel(ctx, mock);
      const session = mock.sessionId ? await deps.store.getSession(mock.sessionId) : undefined;
      if (session?.status === 'active') await deps.store.endSession(session.id, deps.clock.now());
      const replies = await mockFinished(deps, session ?? ({ id: mock.sessionId ?? -1 } as SessionRecord));
      return replies.length ? replies : tell(`Mock #${mock.id} has ended.`);
    }
    default:
      if (verb.startsWith('<@') || verb.startsWith('@')) return startMock(ctx, args, people);
      throw new UserError(`Unknown mock command "${verb}". Say \`mock help\`.`);
  }
}

export async function mockAction(ctx: MockCtx, action: Extract<Action, { do: 'mock-score' | 'mock-release' }>): Promise<Reply[]> {
  if (action.do === 'mock-release') return mockCommand(ctx, ['release', String(action.mock)]);
  const { mock: id, question } = action;
  await mockById(ctx, String(id));
  return [tellActor(ctx.conversation, ctx.actor, `Your score for question ${question} of mock #${id}`, {
    form: {
      submits: { for: 'mock-score', mock: id, question },
      title: `Score question ${question}`,
      fields: [
        { id: 'score', label: 'Your score (0-100)', multiline: false, maxLength: 3 },
        { id: 'notes', label: 'Notes (the candidate never sees these)', multiline: true, maxLength: 2000 },
      ],
    },
  })];
}

async function recordScore(ctx: MockCtx, id: string | undefined, number: string | undefined, scoreText: string | undefined, notes: string): Promise<Reply[]> {
  const { deps } = ctx;
  const mock = await mockById(ctx, id);
  await requirePanel(ctx, mock);
  const turns = mock.sessionId ? (await deps.store.turns(mock.sessionId)).filter((t) => t.kind === 'main') : [];
  const turn = turns[Number(number) - 1];
  const score = Number(scoreText);
  if (!turn) throw new UserError(`Question ${number ?? '?'} is not in mock #${mock.id} (it has ${turns.length}).`);
  if (!Number.isInteger(score) || score < 0 || score > 100) throw new UserError('A score is a whole number from 0 to 100.');
  await deps.mocks.score(mock.id, turn.id, ctx.user.id, score, notes.trim().slice(0, 2000), deps.clock.now());
  return [tellActor(ctx.conversation, ctx.actor, `Recorded your ${score}/100 for question ${number} of mock #${mock.id}.`, { role: 'info' })];
}

export async function mockSubmit(ctx: MockCtx, form: Extract<FormPayload, { for: 'mock-score' }>, fields: Record<string, string>): Promise<Reply[]> {
  return recordScore(ctx, String(form.mock), String(form.question), fields['score']?.trim(), fields['notes'] ?? '');
}
