import { describe, expect, it } from 'vitest';
import type { Grader } from '../../src/core/kernel/grading.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { MAX_GRADE_ATTEMPTS } from '../../src/core/practice/flow.js';
import { harness, manualClock } from '../support/harness.js';

/** An LLM grader's contract as the core sees it; the real one is tested against fake servers. */
function countingLlm(): Grader & { calls: number } {
  const lexical = createLexicalGrader();
  const g = {
    kind: 'llm' as const,
    calls: 0,
    async grade(req: Parameters<Grader['grade']>[0]) {
      g.calls++;
      const grade = await lexical.grade(req);
      return { ...grade, grader: { ...grade.grader, kind: 'llm' as const, model: 'test-model' } };
    },
  };
  return g;
}

describe('the per-user limit on LLM gradings', () => {
  it('grades offline past the limit, says so, and lets the LLM back once the window passes', async () => {
    const llm = countingLlm();
    const clock = manualClock();
    const { room, store } = await harness({ grader: llm, offlineGrader: createLexicalGrader(), llmLimit: { max: 2, windowMs: 10 * 60_000 }, clock });
    const u = room.user('U1');
    await u.command('practice', '3');
    await u.say('First answer: I would check precision and recall for the minority class.');
    await u.say('Follow-up: I would compare against a baseline and set a threshold.');
    expect(llm.calls).toBe(2);

    const third = await u.say('Second question answer: I would look for drift in the input features.');
    expect(third[0]!.text).toMatch(/used your 2 AI gradings for the last 10 minutes/);
    expect(llm.calls).toBe(2);
    const graded = (await store.turns((await store.activeSession(1))!.id)).filter((t) => t.grade);
    expect(graded.at(-1)!.grade!.grader.kind).toBe('lexical');

    clock.advance(11 * 60_000);
    await u.say('Follow-up answer about monitoring the drift with alerts.');
    expect(llm.calls).toBe(3);
  });

  it('stops asking the LLM about an answer whose grading keeps failing', async () => {
    let calls = 0;
    const broken: Grader = { kind: 'llm', grade: async () => { calls++; throw new Error('crash'); } };
    const { room, store } = await harness({ grader: broken, offlineGrader: createLexicalGrader() });
    const u = room.user('U1');
    await u.command('practice', '1');
    await u.say('I would check precision and recall per class, then look at drift.');
    for (let i = 1; i < MAX_GRADE_ATTEMPTS; i++) await u.command('practice');
    expect(calls).toBe(MAX_GRADE_ATTEMPTS);
    const resumed = await u.command('practice');
    expect(resumed.map((r) => r.role)).toContain('scorecard');
    expect(calls).toBe(MAX_GRADE_ATTEMPTS);
    expect(await store.pendingTurns()).toHaveLength(0);
  });
});
