import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../config.js';
import type { Catalog } from '../content/load.js';
import { createAuthoredInterviewer } from '../core/kernel/interviewer.js';
import { createLexicalGrader } from './lexical/grader.js';
import { createLlmInterviewer } from './llm/interviewer.js';
import { createLlmGrader } from './llm/grader.js';
import { createChatModel, describeFailure, modelEndpoint, modelLabel, withTimeout } from './llm/models.js';
import { redactPii, withRedaction } from './redact.js';
import { createLexicalDrillMatcher } from './lexical/drill-matcher.js';
import { createLlmDrillMatcher } from './llm/drill-matcher.js';
import { offlineGraders, type Graders } from './graders.js';

/**
 * The graders for the configured provider. Offline is the lexical grader alone; with a model,
 * the LLM grader answers and the lexical grader stands behind it. Missing or broken prompt
 * templates throw here, at start-up, rather than on the first answer.
 */
export async function createGraders(config: Config, catalog: Pick<Catalog, 'prompts'>): Promise<Graders> {
  const model = await createChatModel(config);
  if (!model) return offlineGraders();
  const lexical = createLexicalGrader();
  const lexicalMatcher = createLexicalDrillMatcher();
  const label = modelLabel(config);
  const timeoutMs = config.LLM_TIMEOUT_MS;
  const grader = createLlmGrader({ model, modelName: label, prompts: catalog.prompts, fallback: lexical, timeoutMs, maxRetries: config.LLM_MAX_RETRIES });
  const interviewer = createLlmInterviewer({ model, prompts: catalog.prompts, fallback: createAuthoredInterviewer(), timeoutMs });
  // A hosted model is someone else's machine: personal identifiers in answers do not go there.
  const redact = config.LLM_PROVIDER === 'openai' && config.SPARRING_REDACT_PII;
  return {
    grader: redact ? withRedaction(grader) : grader,
    drillMatcher: createLlmDrillMatcher({ model, prompts: catalog.prompts, fallback: lexicalMatcher, timeoutMs }),
    interviewer: redact ? { ...interviewer, probe: (req) => interviewer.probe({ ...req, answer: redactPii(req.answer).text }) } : interviewer,
    describe: `LLM ${label} at ${modelEndpoint(config)}, lexical grader as fallback${redact ? ', personal data redacted' : ''}`,
    model,
  };
}

/** One tiny request to the model, for `doctor`: does it answer, and how fast. */
export async function pingModel(model: BaseChatModel, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  const started = performance.now();
  try {
    const res = await withTimeout((signal) => model.invoke('Reply with the single word: ok', { signal }), timeoutMs);
    const ms = Math.round(performance.now() - started);
    const text = typeof res.content === 'string' ? res.content.trim() : JSON.stringify(res.content);
    if (text === '') return { ok: false, detail: `the model answered in ${ms} ms but said nothing` };
    return { ok: true, detail: `the model answered in ${ms} ms: "${text.slice(0, 40)}"` };
  } catch (err) {
    return { ok: false, detail: describeFailure(err, timeoutMs).reason };
  }
}
