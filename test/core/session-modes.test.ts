import { describe, expect, it } from 'vitest';
import { actionName } from '../../src/core/kernel/actions.js';
import type { PracticeCtx, PracticeDeps, SessionModeHooks } from '../../src/core/practice/context.js';
import * as practice from '../../src/core/practice/flow.js';
import type { SessionMode, SessionRecord } from '../../src/core/practice/ports.js';
import { createAuthoredInterviewer } from '../../src/core/kernel/interviewer.js';
import type { Actor, ConversationRef, Reply } from '../../src/core/kernel/types.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { openDatabase } from '../../src/store/db.js';
import { createSqliteStores } from '../../src/store/sqlite.js';
import { catalog, manualClock, questionOfKind } from '../support/harness.js';

/** A mode that records what practice asked of it, standing in for the mock interview. */
function recordingMode(hides: boolean) {
  const calls: string[] = [];
  const note = (ctx: PracticeCtx, text: string): Reply => ({ to: ctx.conversation, visibility: 'public', text, role: 'info' });
  const mode: SessionModeHooks = {
    async graded(ctx, _session, turn) {
      calls.push(`graded ${turn.kind}`);
      return [note(ctx, 'recorded by the mode')];
    },
    async finished(ctx) {
      calls.push('finished');
      return [note(ctx, 'ended by the mode')];
    },
    async hidesScores() {
      calls.push('hidesScores');
      return hides;
    },
  };
  return { mode, calls };
}

async function sessionOf(sessionMode: SessionMode, modes: PracticeDeps['modes']) {
  const { practice: store, atomically } = createSqliteStores(openDatabase(':memory:'));
  const clock = manualClock();
  const deps: PracticeDeps = { catalog: catalog(), store, grader: createLexicalGrader(), interviewer: createAuthoredInterviewer(), clock, atomically, ...(modes ? { modes } : {}) };
  const actor: Actor = { platform: 'memory', workspace: 'W', userId: 'U1', displayName: 'Ana', isBot: false };
  const conversation: ConversationRef = { platform: 'memory', workspace: 'W', channel: '@U1' };
  const user = await store.upsertUser(actor);
  const q = questionOfKind('technical');
  const session = await store.createSession(user.id, conversation, [q.id], clock.now(), sessionMode);
  const ctx: PracticeCtx = { deps, actor, conversation, user };
  await practice.resume(ctx, session);
  return { ctx, session, q };
}

/** An answer taken and graded, as the bot's job runner would: the replies its grading job delivers. */
async function answered(ctx: PracticeCtx, session: SessionRecord, text: string): Promise<Reply[]> {
  await practice.answer(ctx, session, text);
  const turn = (await ctx.deps.store.currentTurn(session.id))!;
  const outcome = await practice.gradeAnswer(ctx, session, turn, (write) => ctx.deps.atomically(write));
  return outcome.done ? outcome.replies : [];
}

describe('session modes: practice asks a registered mode instead of importing it', () => {
  it('hands grades, the end and history visibility to the mode of the session', async () => {
    const { mode, calls } = recordingMode(false);
    const { ctx, session, q } = await sessionOf('mock', { mock: mode });

    const graded = await answered(ctx, session, q.modelAnswer);
    expect(calls[0]).toBe('graded main');
    expect(graded.map((r) => r.text)).toContain('recorded by the mode');
    expect(graded.some((r) => r.role === 'scorecard')).toBe(false);

    expect(await practice.finish(ctx, session)).toEqual([expect.objectContaining({ text: 'ended by the mode' })]);
    expect(calls).toContain('finished');

    const [history] = await practice.history(ctx);
    expect(calls).toContain('hidesScores');
    expect(history!.sections![0]!.fields![0]![1]).toMatch(/graded/);
  });

  it('runs a practice session, or a mode nobody registered, as plain practice', async () => {
    const { mode, calls } = recordingMode(true);
    const plain = await sessionOf('practice', { mock: mode });
    expect((await answered(plain.ctx, plain.session, plain.q.modelAnswer))[0]).toMatchObject({ role: 'scorecard' });
    expect(calls).toEqual([]);

    const unregistered = await sessionOf('mock', undefined);
    expect((await answered(unregistered.ctx, unregistered.session, unregistered.q.modelAnswer))[0]).toMatchObject({ role: 'scorecard' });
    // Without its mode's word, a mock interview's scores stay hidden.
    const [history] = await practice.history(unregistered.ctx);
    expect(history!.sections![0]!.fields![0]![1]).toContain('feedback not released');
  });

  it('lets a mode turn hints off, keep follow-ups to answering or moving on, hold its room and name itself in history', async () => {
    const { mode } = recordingMode(false);
    const strict: SessionModeHooks = { ...mode, label: 'panel round', hintsOff: 'No hints in a panel round.', followUpExtras: [], refusesPractice: 'Finish the panel round first.' };
    const { ctx, session } = await sessionOf('mock', { mock: strict });

    expect((await practice.hint(ctx, session))[0]!.text).toBe('No hints in a panel round.');
    const probe = (await answered(ctx, session, 'I am not sure, maybe look at the data.')).find((r) => r.role === 'probe');
    expect(probe!.actions!.map((a) => actionName(a.action))).toEqual(['answer-form', 'next']);
    await expect(practice.start(ctx, ['1'])).rejects.toThrow('Finish the panel round first.');
    expect((await practice.history(ctx))[0]!.sections![0]!.fields![0]![0]).toMatch(/ · panel round$/);
  });

  it('gives plain practice its hints, hint and end buttons on a follow-up, and a new session on `practice`', async () => {
    const { ctx, session } = await sessionOf('practice', undefined);
    expect((await practice.hint(ctx, session))[0]!.role).toBe('hint');
    const probe = (await answered(ctx, session, 'I am not sure, maybe look at the data.')).find((r) => r.role === 'probe');
    expect(probe!.actions!.map((a) => actionName(a.action))).toEqual(['answer-form', 'hint', 'next', 'end']);
    const restarted = await practice.start(ctx, ['1']);
    expect(restarted[0]!.text).toMatch(/previous session was ended/);
    expect((await practice.history(ctx))[0]!.sections![0]!.fields![1]![0]).toMatch(/^#\d+ · [\d-]+ [\d:]+$/);
  });
});
