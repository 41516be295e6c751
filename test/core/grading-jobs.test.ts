import { describe, expect, it } from 'vitest';
import type { Grader, GradeRequest } from '../../src/core/kernel/grading.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { harness, questionOfKind } from '../support/harness.js';

/** A grader that holds every grading until the test lets it go, and records what it was asked. */
function heldGrader() {
  const lexical = createLexicalGrader();
  const asked: string[] = [];
  const waiting: (() => void)[] = [];
  const grader: Grader = {
    kind: 'lexical',
    async grade(req: GradeRequest) {
      asked.push(req.answer);
      await new Promise<void>((go) => waiting.push(go));
      return lexical.grade(req);
    },
  };
  const started = async (n: number) => {
    while (asked.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { grader, asked, started, release: () => waiting.splice(0).forEach((go) => go()) };
}

const technical = () => questionOfKind('technical');

describe('an answer while the last one is being graded', () => {
  it('extends the answer: the whole of it is graded once, and no follow-up the person has not seen is answered', async () => {
    const held = heldGrader();
    const { room, store } = await harness({ grader: held.grader });
    const ana = room.user('U1', 'Ana');
    const q = technical();
    await ana.command('practice', q.id);
    const [first, second] = [q.modelAnswer.slice(0, 120), q.modelAnswer.slice(120)];

    const firstPart = ana.say(first);
    await held.started(1);
    // The second message arrives while the first is graded: it is taken at once, without a scorecard of its own.
    expect(await ana.say(second)).toEqual([]);
    held.release();
    await held.started(2);
    held.release();
    const replies = await firstPart;

    expect(held.asked).toEqual([first, `${first}\n\n${second}`]);
    expect(replies.filter((r) => r.role === 'scorecard')).toHaveLength(1);
    const turns = await store.turns((await store.activeSession(1))!.id);
    expect(turns[0]).toMatchObject({ status: 'graded', answer: `${first}\n\n${second}` });
    // The follow-up (if the grade earned one) is still open: the second part did not answer it.
    expect(turns.slice(1).every((t) => t.status === 'asked')).toBe(true);
    expect(room.delivered.filter((r) => r.role === 'scorecard')).toHaveLength(1);
  });

  it('holds `skip` until the scorecard is out, so no question is passed over', async () => {
    const held = heldGrader();
    const { room, store } = await harness({ grader: held.grader });
    const ana = room.user('U1', 'Ana');
    const q = technical();
    await ana.command('practice', q.id);
    const answering = ana.say(q.modelAnswer);
    await held.started(1);
    expect((await ana.command('skip'))[0]!.text).toMatch(/being graded/);
    held.release();
    await answering;
    const session = (await store.activeSession(1))!;
    expect(session.position).toBe(0);
    expect((await store.turns(session.id))[0]!.status).toBe('graded');
  });

  it('takes a redelivered event once, even when the first delivery is still being graded', async () => {
    const held = heldGrader();
    const { bot, store } = await harness({ grader: held.grader });
    const actor = { platform: 'memory' as const, workspace: 'W', userId: 'U1', displayName: 'Ana', isBot: false };
    const conversation = { platform: 'memory' as const, workspace: 'W', channel: 'C1' };
    const q = technical();
    await bot.handle({ kind: 'command', name: 'practice', args: [q.id], actor, conversation });
    const event = { kind: 'message' as const, text: q.modelAnswer, actor, conversation, eventId: 'Ev1' };
    const first = bot.handle(event);
    await held.started(1);
    expect(await bot.handle(event)).toEqual([]);
    held.release();
    await first;
    expect(held.asked).toHaveLength(1);
    expect((await store.turns((await store.activeSession(1))!.id))[0]!.answer).toBe(q.modelAnswer);
  });
});
