import type { Question } from '../../content/schema.js';
import { MAX_ANSWER_CHARS, sanitizeAnswer } from '../kernel/answer.js';
import { targetFor } from './target.js';
import type { Grade, Grader, GradingTarget } from '../kernel/grading.js';
import type { FollowUpExtra, PracticeCtx, PracticeDeps, SessionModeHooks } from './context.js';
import { planOrder } from './spaced.js';
import type { SessionRecord, TurnRecord } from './ports.js';
import { scorecardSections, weakestCriterion } from './scorecard.js';
import { parseSelection, planSession } from './select.js';
import { sameConversation, type Reply, type ReplyAction } from '../kernel/types.js';
import { UserError } from '../kernel/errors.js';
import { gradeJobKey } from '../kernel/jobs.js';

/** After this many started gradings of one answer, it is graded offline: a poison answer must not loop. */
export const MAX_GRADE_ATTEMPTS = 3;

const modeOf = (deps: PracticeDeps, session: SessionRecord): SessionModeHooks | undefined =>
  session.mode === 'practice' ? undefined : deps.modes?.[session.mode];

/** Largest answer a form accepts; adapters lower it to their platform's limit. */
export const ANSWER_FORM_MAX = 4000;

const ACT = {
  hint: { action: { do: 'command', name: 'hint' }, label: 'Hint' },
  skip: { action: { do: 'command', name: 'skip' }, label: 'Skip' },
  next: { action: { do: 'command', name: 'next' }, label: 'Next' },
  end: { action: { do: 'command', name: 'end' }, label: 'End', style: 'danger' },
  form: { action: { do: 'answer-form' }, label: 'Answer in a form', style: 'primary' },
} satisfies Record<string, ReplyAction>;

const say = (ctx: PracticeCtx, text: string, extra: Partial<Reply> = {}): Reply => ({
  to: ctx.conversation,
  visibility: 'public',
  text,
  ...extra,
});

/** Feedback on someone's answer is theirs: private unless they choose to share it. */
const tell = (ctx: PracticeCtx, text: string, extra: Partial<Reply> = {}): Reply =>
  say(ctx, text, { visibility: { onlyFor: ctx.actor }, ...extra });

function questionOf(deps: PracticeDeps, id: string): Question {
  const q = deps.catalog.questions.get(id);
  // Content can change between releases; a stored session naming a removed question is skipped over.
  if (!q) throw new MissingQuestion(id);
  return q;
}

class MissingQuestion extends Error {}

/** Follow-up targets, one per question target and gap, kept for the same reason targetFor keeps its own. */
const followUpTargets = new WeakMap<GradingTarget, Map<string, GradingTarget>>();

function gradingTarget(deps: PracticeDeps, turn: TurnRecord): GradingTarget {
  const target = targetFor(questionOf(deps, turn.questionId), deps.catalog);
  const gap = turn.probeGap;
  if (turn.kind === 'main' || !gap) return target;
  let byGap = followUpTargets.get(target);
  if (!byGap) followUpTargets.set(target, (byGap = new Map()));
  let followUp = byGap.get(gap);
  if (!followUp) {
    // A follow-up answers one gap, so it is graded on that criterion alone.
    followUp = { ...target, criteria: target.criteria.filter((c) => c.id === gap), starCriteria: undefined, redFlags: [] };
    byGap.set(gap, followUp);
  }
  return followUp;
}

async function askQuestion(ctx: PracticeCtx, session: SessionRecord, opening: boolean): Promise<Reply> {
  const { deps } = ctx;
  const question = questionOf(deps, session.plan[session.position]!);
  const current = await deps.store.currentTurn(session.id);
  if (!(current && current.questionId === question.id && current.kind === 'main' && current.status === 'asked')) {
    await deps.store.addTurn({ sessionId: session.id, questionId: question.id, kind: 'main', prompt: question.prompt, askedAt: deps.clock.now() });
  }
  const track = deps.catalog.tracks.get(question.track)?.title ?? question.track;
  const lines = [
    `**Question ${session.position + 1} of ${session.plan.length}** · ${track} · ${question.competency} · ${question.difficulty}`,
    '',
    question.prompt,
  ];
  if (question.context) lines.push('', question.context);
  if (question.kind === 'behavioral') lines.push('', '_Answer with STAR: the situation, your task, the actions you took, and the result (with numbers)._');
  return say(ctx, lines.join('\n'), {
    role: 'question',
    actions: [ACT.form, ACT.hint, ACT.skip, ACT.end],
    ...(opening ? { opens: { kind: 'practice' as const } } : {}),
  });
}

const FOLLOW_UP_EXTRAS: readonly FollowUpExtra[] = ['hint', 'end'];

function askProbe(ctx: PracticeCtx, turn: TurnRecord, mode: SessionModeHooks | undefined): Reply {
  const extras = mode?.followUpExtras ?? FOLLOW_UP_EXTRAS;
  const actions = [ACT.form, ...(extras.includes('hint') ? [ACT.hint] : []), ACT.next, ...(extras.includes('end') ? [ACT.end] : [])];
  return say(ctx, `**Follow-up:** ${turn.prompt}`, { role: 'probe', actions });
}

/** Moves past the current question: the next one, or the summary when the plan is done. */
async function advance(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]> {
  const { deps } = ctx;
  let position = session.position + 1;
  while (position < session.plan.length && !deps.catalog.questions.has(session.plan[position]!)) position++;
  if (position >= session.plan.length) return finish(ctx, session);
  await deps.store.advanceSession(session.id, position, deps.clock.now());
  return [await askQuestion(ctx, { ...session, position }, false)];
}

/** The follow-up an answer earns (its weakest criterion, worded by the interviewer), worked out before the turn's transaction. */
async function probeFor(ctx: PracticeCtx, turn: TurnRecord, grade: Grade): Promise<Probe | undefined> {
  if (turn.kind === 'followup') return undefined;
  const { deps } = ctx;
  const criterion = weakestCriterion(grade, gradingTarget(deps, turn).criteria);
  if (!criterion) return undefined;
  const question = questionOf(deps, turn.questionId);
  return { gap: criterion.id, prompt: await deps.interviewer.probe({ question, criterion, grade, answer: turn.answer ?? '' }) };
}

type Probe = { gap: string; prompt: string };

async function afterGrade(ctx: PracticeCtx, session: SessionRecord, turn: TurnRecord, grade: Grade, probe: Probe | undefined): Promise<Reply[]> {
  const { deps } = ctx;
  const question = questionOf(deps, turn.questionId);
  const target = gradingTarget(deps, turn);
  const replies: Reply[] = [];
  const mode = modeOf(deps, session);
  if (mode) {
    replies.push(...(await mode.graded(ctx, session, turn, grade)));
  } else {
    replies.push(scorecardReply(ctx, question.id, turn, target, grade));
  }
  if (!probe) return [...replies, ...(await advance(ctx, session))];
  const asked = await deps.store.addTurn({
    sessionId: session.id, questionId: question.id, kind: 'followup', prompt: probe.prompt, probeGap: probe.gap, askedAt: deps.clock.now(),
  });
  return [...replies, askProbe(ctx, asked, mode)];
}

function scorecardReply(ctx: PracticeCtx, questionId: string, turn: TurnRecord, target: GradingTarget, grade: Grade): Reply {
  const heading =
    turn.kind === 'main'
      ? `**Score: ${Math.round(grade.score)}/100** · ${questionId}`
      : `**Follow-up score: ${Math.round(grade.score)}/100** · ${target.criteria[0]?.name ?? turn.probeGap}`;
  return tell(ctx, heading, { role: 'scorecard', sections: scorecardSections(grade, target.criteria), actions: [{ action: { do: 'share', turn: turn.id }, label: 'Share with channel' }] });
}

/** The grader for this answer: the configured one, unless the user's LLM limit or the answer's retries say otherwise. */
async function chooseGrader(ctx: PracticeCtx, turn: TurnRecord, regrades: number): Promise<{ grader: Grader; notice?: Reply }> {
  const { deps } = ctx;
  const offline = deps.offlineGrader;
  if (deps.grader.kind !== 'llm' || !offline) return { grader: deps.grader };
  if (turn.gradeAttempts - regrades >= MAX_GRADE_ATTEMPTS) return { grader: offline };
  const limit = deps.llmLimit;
  if (limit && (await deps.store.llmGradingsSince(ctx.user.id, deps.clock.now() - limit.windowMs)) >= limit.max) {
    const minutes = Math.round(limit.windowMs / 60_000);
    return {
      grader: offline,
      notice: tell(ctx, `You have used your ${limit.max} AI gradings for the last ${minutes} minutes, so this answer was graded by the offline grader. AI grading comes back once older gradings are more than ${minutes} minutes old.`, { role: 'info' }),
    };
  }
  return { grader: deps.grader };
}

/** What grading a stored answer came to: the replies to deliver, or why there are none. */
export type GradeOutcome =
  | { done: true; replies: Reply[] }
  /** The answer changed while it was graded (a second message extended it): grade it again. */
  | { done: false; why: 'changed' }
  /** The grader failed; the job is tried again later (and offline after MAX_GRADE_ATTEMPTS). `notice` tells the person. */
  | { done: false; why: 'failed'; notice: Reply };

/**
 * Grades a stored answer, then records the grade, the next step (a follow-up, the next
 * question or the summary) and its replies in one transaction through `commit`, which also
 * settles the grading job: a crash anywhere before leaves the answer to be graded again, after
 * it the replies are in the outbox. The slow parts (the grader, the interviewer) run before.
 */
export async function gradeAnswer(
  ctx: PracticeCtx,
  session: SessionRecord,
  turn: TurnRecord,
  commit: (write: () => Promise<Reply[]>) => Promise<Reply[] | undefined>,
  /** Gradings of this answer started over because it grew meanwhile: they are not failures. */
  regrades = 0,
): Promise<GradeOutcome> {
  const { deps } = ctx;
  const { grader, notice } = await chooseGrader(ctx, turn, regrades);
  await deps.store.startGrading(turn.id, grader.kind, deps.clock.now());
  const started = performance.now();
  let grade: Grade;
  let probe: Probe | undefined;
  try {
    grade = await grader.grade({ target: gradingTarget(deps, turn), answer: turn.answer ?? '' });
    probe = await probeFor(ctx, turn, grade);
  } catch {
    return { done: false, why: 'failed', notice: tell(ctx, 'Grading failed this time. Your answer is saved and will be graded again shortly.', { role: 'error' }) };
  }
  const gradeMs = performance.now() - started;
  const replies = await commit(async () => {
    await deps.store.lockSession(session.id);
    const now = await deps.store.findTurn(turn.id);
    const current = await deps.store.getSession(session.id);
    if (now?.status !== 'answered' || !current || current.status !== 'active') return [];
    if (now.answer !== turn.answer) throw new AnswerChanged();
    await deps.store.recordGrade(turn.id, grade, deps.clock.now(), gradeMs);
    if (turn.kind === 'main' && current.mode === 'practice') await deps.schedules?.record(ctx.user.id, turn.questionId, grade.score, deps.clock.now());
    const after = await afterGrade(ctx, current, { ...now, status: 'graded', grade }, grade, probe);
    return notice ? [notice, ...after] : after;
  }).catch((err: unknown) => {
    if (err instanceof AnswerChanged) return 'changed' as const;
    throw err;
  });
  if (replies === 'changed') return { done: false, why: 'changed' };
  return { done: true, replies: replies ?? [] };
}

class AnswerChanged extends Error {}

/**
 * Takes an answer: stores it with its grading job in one transaction (`accept`, which may
 * refuse an event already taken) and leaves the grading to the job. A message that arrives
 * while the previous answer is still being graded extends that answer: the person has not seen
 * a follow-up yet, so it cannot be their answer to one.
 */
export async function answer(ctx: PracticeCtx, session: SessionRecord, raw: string, firstTime: () => Promise<boolean> = async () => true): Promise<Reply[]> {
  const { deps } = ctx;
  const taken = await deps.atomically(async (): Promise<Reply[] | 'resume'> => {
    if (!(await firstTime())) return [];
    await deps.store.lockSession(session.id);
    const turn = await deps.store.currentTurn(session.id);
    const extending = turn?.status === 'answered';
    if (!turn || !(turn.status === 'asked' || extending)) return 'resume';
    const { text, truncated } = sanitizeAnswer(extending ? `${turn.answer ?? ''}\n\n${raw}` : raw);
    if (!extending && text.trim() === '') {
      return [tell(ctx, 'That answer is empty. Type your answer, or use hint, skip or end.', { role: 'info' })];
    }
    await deps.store.recordAnswer(turn.id, text, deps.clock.now());
    ctx.started?.push(gradeJobKey(turn.id));
    return truncated
      ? [tell(ctx, `Your answer was longer than ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters; only the first ${MAX_ANSWER_CHARS.toLocaleString('en-US')} were kept.`, { role: 'info' })]
      : [];
  });
  return taken === 'resume' ? resume(ctx, session) : taken;
}

/** Picks up wherever a session stopped, including an answer stored but never graded. */
export async function resume(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]> {
  const { deps } = ctx;
  try {
    // Awaited inside the try: a removed question surfaces here as MissingQuestion, not past it.
    const turn = await deps.store.currentTurn(session.id);
    if (!turn) return [await askQuestion(ctx, session, false)];
    switch (turn.status) {
      case 'asked':
        return turn.kind === 'main' ? [await askQuestion(ctx, session, false)] : [askProbe(ctx, turn, modeOf(deps, session))];
      case 'answered':
        // Its grading job delivers the scorecard; this process may be the one to run it.
        ctx.started?.push(gradeJobKey(turn.id));
        return [tell(ctx, 'Your last answer is being graded; the scorecard follows.', { role: 'info' })];
      case 'graded':
        // Written before grade, follow-up and replies became one transaction: the turn after it was never stored.
        return turn.kind === 'main' && turn.grade ? await afterGrade(ctx, session, turn, turn.grade, await probeFor(ctx, turn, turn.grade)) : await advance(ctx, session);
      case 'skipped':
        return await advance(ctx, session);
    }
  } catch (err) {
    if (err instanceof MissingQuestion) return advance(ctx, session);
    throw err;
  }
}

export async function start(ctx: PracticeCtx, args: string[]): Promise<Reply[]> {
  const { deps } = ctx;
  const active = await deps.store.activeSession(ctx.user.id, ctx.conversation);
  if (args.length === 0 && active) {
    await deps.store.moveSession(active.id, ctx.conversation, deps.clock.now());
    const moved = { ...active, conversation: ctx.conversation };
    return [say(ctx, 'Picking up your session where you left off.', { role: 'info', opens: { kind: 'practice' } }), ...(await resume(ctx, moved))];
  }
  const refusal = active && modeOf(deps, active)?.refusesPractice;
  if (refusal && sameConversation(active.conversation, ctx.conversation)) throw new UserError(refusal);
  const selection = parseSelection(args, deps.catalog);
  const replies: Reply[] = [];
  if (active && active.mode === 'practice') {
    await deps.store.endSession(active.id, deps.clock.now());
    replies.push(tell(ctx, 'Your previous session was ended; its answers are kept in your history.', { role: 'info' }));
  }
  const lastAsked = await deps.store.lastAsked(ctx.user.id);
  const salt = `${ctx.user.key}:${lastAsked.size}`;
  const plan = deps.schedules
    ? planOrder(selection, deps.catalog, lastAsked, await deps.schedules.schedules(ctx.user.id), salt, deps.clock.now())
    : planSession(selection, deps.catalog, lastAsked, salt);
  const session = await deps.store.createSession(ctx.user.id, ctx.conversation, plan, deps.clock.now());
  return [...replies, await askQuestion(ctx, session, true)];
}

export async function hint(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]> {
  const { deps } = ctx;
  const turn = await deps.store.currentTurn(session.id);
  if (!turn || turn.status !== 'asked') return [tell(ctx, 'There is no open question to hint at.', { role: 'info' })];
  const hintsOff = modeOf(deps, session)?.hintsOff;
  if (hintsOff) return [tell(ctx, hintsOff, { role: 'info' })];
  const question = questionOf(deps, turn.questionId);
  const criterion = turn.kind === 'followup' ? gradingTarget(deps, turn).criteria[0] : undefined;
  const text = await deps.interviewer.hint({ question, index: turn.hintsUsed, criterion });
  if (!text) return [tell(ctx, 'No more hints for this one. Give it your best shot, or skip.', { role: 'hint' })];
  await deps.store.useHint(turn.id);
  return [tell(ctx, `**Hint:** ${text}`, { role: 'hint' })];
}

export async function skip(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]> {
  const turn = await ctx.deps.store.currentTurn(session.id);
  // Moving on now would race the grading: its scorecard (and maybe a follow-up) comes first.
  if (turn?.status === 'answered') return [tell(ctx, 'Your answer is being graded; the scorecard comes first, then you can move on.', { role: 'info' })];
  if (turn?.status === 'asked') await ctx.deps.store.markSkipped(turn.id);
  const label = turn?.kind === 'followup' ? 'Follow-up skipped.' : 'Question skipped.';
  return [say(ctx, label, { role: 'info' }), ...(await advance(ctx, session))];
}

export async function finish(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]> {
  const { deps } = ctx;
  await deps.store.endSession(session.id, deps.clock.now());
  const mode = modeOf(deps, session);
  if (mode) return mode.finished(ctx, session);
  const turns = await deps.store.turns(session.id);
  const mains = turns.filter((t) => t.kind === 'main');
  const rows: [string, string][] = mains.map((t) => {
    const follow = turns.find((f) => f.kind === 'followup' && f.questionId === t.questionId && f.id > t.id);
    const main = t.grade ? `${Math.round(t.grade.score)}/100` : t.status === 'skipped' ? 'skipped' : 'not answered';
    const extra = follow?.grade ? ` · follow-up ${Math.round(follow.grade.score)}/100` : '';
    return [t.questionId, main + extra];
  });
  const graded = mains.filter((t) => t.grade);
  if (graded.length === 0) {
    return [say(ctx, 'Session ended. No answers were graded this time; say practice to start again.', { role: 'summary' })];
  }
  const average = graded.reduce((s, t) => s + t.grade!.score, 0) / graded.length;
  const byCriterion = new Map<string, number[]>();
  for (const t of graded) for (const c of t.grade!.criteria) byCriterion.set(c.id, [...(byCriterion.get(c.id) ?? []), c.score]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ranked = [...byCriterion.entries()].map(([id, xs]) => ({ id, avg: mean(xs) })).sort((a, b) => b.avg - a.avg);
  const nameOf = (id: string) => [...deps.catalog.rubrics.values()].flatMap((r) => r.criteria).find((c) => c.id === id)?.name ?? id;
  const body = [
    ranked[0] ? `Strongest: ${nameOf(ranked[0].id)} (${ranked[0].avg.toFixed(1)}/4)` : '',
    ranked.length > 1 ? `Work on: ${nameOf(ranked.at(-1)!.id)} (${ranked.at(-1)!.avg.toFixed(1)}/4)` : '',
  ].filter(Boolean).join('\n');
  return [
    tell(ctx, `**Session complete:** ${graded.length} of ${mains.length} question${mains.length === 1 ? '' : 's'} graded, average ${Math.round(average)}/100.`, {
      role: 'summary',
      sections: [{ title: 'Questions', fields: rows }, ...(body ? [{ title: 'Focus', body }] : [])],
    }),
  ];
}

export async function history(ctx: PracticeCtx): Promise<Reply[]> {
  const entries = await ctx.deps.store.history(ctx.user.id, 10);
  if (entries.length === 0) return [tell(ctx, 'No sessions yet. Say practice to start one.', { role: 'history' })];
  const fields: [string, string][] = [];
  for (const { session, graded, averageScore } of entries) {
    // A mode's scores may not be its user's yet (a mock interview's are the panel's); without the mode's word, they stay hidden.
    const mode = modeOf(ctx.deps, session);
    const hidden = session.mode !== 'practice' && (!mode || (await mode.hidesScores(ctx, session)));
    fields.push([
      `#${session.id} · ${new Date(session.createdAt).toISOString().slice(0, 16).replace('T', ' ')}${mode?.label ? ` · ${mode.label}` : ''}`,
      hidden
        ? `${session.status === 'active' ? 'in progress' : 'finished'} · feedback not released`
        : `${graded}/${session.plan.length} graded${averageScore === undefined ? '' : ` · average ${Math.round(averageScore)}/100`}${session.status === 'active' ? ' · in progress' : ''}`,
    ]);
  }
  return [tell(ctx, '**Your recent sessions**', { role: 'history', sections: [{ fields }] })];
}

export async function answerForm(ctx: PracticeCtx, session: SessionRecord): Promise<Reply[]> {
  const turn = await ctx.deps.store.currentTurn(session.id);
  if (!turn || turn.status !== 'asked') return [tell(ctx, 'There is no open question to answer.', { role: 'info' })];
  return [
    tell(ctx, 'Answer in a form', {
      form: { submits: { for: 'answer' }, title: 'Your answer', fields: [{ id: 'answer', label: turn.prompt.slice(0, 45), multiline: true, maxLength: ANSWER_FORM_MAX }] },
    }),
  ];
}

/** The scorecard of one of the user's own graded turns, made public at their request. */
export async function share(ctx: PracticeCtx, turnId: number): Promise<Reply[]> {
  const turn = Number.isInteger(turnId) ? await ctx.deps.store.findTurn(turnId) : undefined;
  const owner = turn && (await ctx.deps.store.getSession(turn.sessionId))?.userId;
  if (!turn?.grade || owner !== ctx.user.id) return [tell(ctx, 'That scorecard is no longer available to share.', { role: 'info' })];
  const target = gradingTarget(ctx.deps, turn);
  return [say(ctx, `${ctx.actor.displayName} shared a scorecard: **${Math.round(turn.grade.score)}/100** · ${turn.questionId}`, { role: 'scorecard', sections: scorecardSections(turn.grade, target.criteria) })];
}
