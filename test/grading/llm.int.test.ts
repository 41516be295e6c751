import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createGraders, pingModel } from '../../src/grading/factory.js';
import { targetFor } from '../../src/grading/target.js';
import { GradeSchema } from '../../src/grading/types.js';
import { catalog } from '../support/harness.js';

/**
 * Against a live model server, only when one is configured: OLLAMA_HOST for Ollama,
 * OPENAI_API_KEY (with OPENAI_BASE_URL / OPENAI_MODEL if set) for OpenAI. Skipped otherwise.
 * A local model may need to load first, so the call timeout is generous unless set.
 */

const GOOD =
  'Fraud is a rare class here, so a model that never flags anything gets 99.5% accuracy: the headline number hides the imbalance. ' +
  'I would look at recall and precision for the fraud class, the confusion matrix and the PR curve, then check whether the fraud labels are late or stale and whether any feature leaks. ' +
  'Then I would set the threshold from the cost of missed fraud versus the review team capacity.';

function live(provider: 'ollama' | 'openai'): Config {
  return loadConfig({ LLM_TIMEOUT_MS: '120000', ...process.env, LLM_PROVIDER: provider });
}

function liveSuite(provider: 'ollama' | 'openai') {
  it('answers a ping', async () => {
    const config = live(provider);
    const { model } = await createGraders(config, catalog());
    const r = await pingModel(model!, config.LLM_TIMEOUT_MS);
    expect(r.ok, r.detail).toBe(true);
  });

  it('grades a good answer with the LLM, quoting it verbatim', async () => {
    const config = live(provider);
    const { grader } = await createGraders(config, catalog());
    const target = targetFor(catalog().questions.get('fraud-accuracy-paradox')!, catalog());
    const grade = await grader.grade({ target, answer: GOOD });
    expect(grade.grader.kind, grade.meta?.fallbackReason).toBe('llm');
    expect(GradeSchema.parse(grade)).toEqual(grade);
    expect(grade.criteria.map((c) => c.id)).toEqual(target.criteria.map((c) => c.id));
    for (const c of grade.criteria) for (const q of c.evidence) expect(GOOD).toContain(q);
    expect(grade.score).toBeGreaterThan(40);
  });

  it('writes a short follow-up probe', async () => {
    const config = live(provider);
    const { grader, interviewer } = await createGraders(config, catalog());
    const question = catalog().questions.get('fraud-accuracy-paradox')!;
    const target = targetFor(question, catalog());
    const answer = 'Accuracy is misleading. I would retrain on more data.';
    const grade = await grader.grade({ target, answer });
    const probe = await interviewer!.probe({ question, criterion: target.criteria[1]!, grade, answer });
    expect(probe.length).toBeGreaterThan(0);
    expect(probe.length).toBeLessThanOrEqual(400);
  });
}

describe.skipIf(!process.env['OLLAMA_HOST'])('live Ollama (OLLAMA_HOST)', { timeout: 300_000 }, () => liveSuite('ollama'));
describe.skipIf(!process.env['OPENAI_API_KEY'])('live OpenAI (OPENAI_API_KEY)', { timeout: 300_000 }, () => liveSuite('openai'));
