import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { HintRequest, Interviewer, ProbeRequest } from '../../core/kernel/interviewer.js';
import { checkInterviewerText } from './follow-up.js';
import { describeFailure, withTimeout } from './models.js';
import { checkTemplate, delimitAnswer, renderMessages, renderPrompt, requireTemplate } from './prompt.js';

/** Kept here too: callers and tests import it from the interviewer. */
export { cleanInterviewerText } from './follow-up.js';

export type LlmInterviewerOptions = {
  model: BaseChatModel;
  /** Prompt templates by name; `interviewer` (the persona), `probe` and `hint` are used. */
  prompts: Map<string, string>;
  /** The authored interviewer: answers whenever the model cannot, or says something unusable. */
  fallback: Interviewer;
  timeoutMs: number;
  /** Told why a generated text was not used (for logs); the user just gets the authored text. */
  onFallback?: (what: 'probe' | 'hint', reason: string) => void;
};

export const PROBE_PLACEHOLDERS = ['question', 'gaps', 'answer', 'answer_tag'] as const;
export const HINT_PLACEHOLDERS = ['question', 'gaps'] as const;
/** A probe or hint is a sentence or two; anything longer is the model rambling. */
export const MAX_INTERVIEWER_CHARS = 400;

/**
 * Follow-up probes and hints written by the model in the interviewer persona. One call each,
 * no retries: the authored text is a fine answer, and a chat reply should not wait twice.
 */
export function createLlmInterviewer(opts: LlmInterviewerOptions): Interviewer {
  const persona = requireTemplate(opts.prompts, 'interviewer');
  const probeT = requireTemplate(opts.prompts, 'probe');
  const hintT = requireTemplate(opts.prompts, 'hint');
  checkTemplate('interviewer', persona, []);
  checkTemplate('probe', probeT, PROBE_PLACEHOLDERS);
  checkTemplate('hint', hintT, HINT_PLACEHOLDERS);
  const personaText = renderPrompt(persona, {}, 'interviewer');

  /** `notCopyOf`: texts a probe must not merely repeat (the answer, the question). */
  async function ask(what: 'probe' | 'hint', template: string, values: Record<string, string>, notCopyOf: string[] = []): Promise<string | undefined> {
    try {
      const m = renderMessages(template, values, what);
      const system = [personaText, m.system].filter(Boolean).join('\n\n');
      const res = await withTimeout((signal) => opts.model.invoke([new SystemMessage(system), new HumanMessage(m.user)], { signal }), opts.timeoutMs);
      const raw = textOf(res.content);
      // Same rule as the grade's follow-up: a probe is one interviewer question; a hint a short nudge.
      const checked = checkInterviewerText(raw, { question: what === 'probe', notCopyOf });
      if (!checked.ok) opts.onFallback?.(what, checked.reason);
      else if (checked.text.length > MAX_INTERVIEWER_CHARS) opts.onFallback?.(what, `the model returned ${checked.text.length} characters`);
      else return checked.text;
    } catch (err) {
      opts.onFallback?.(what, describeFailure(err, opts.timeoutMs).reason);
    }
    return undefined;
  }

  return {
    async probe(req: ProbeRequest): Promise<string> {
      const { question, criterion, grade } = req;
      const graded = grade.criteria.find((c) => c.id === criterion.id);
      // Only the gap the follow-up will be graded on, so the model cannot wander to another one.
      const gap = `- ${criterion.name}: ${criterion.description}` + (graded?.rationale ? `\n  From the grading: ${graded.rationale}` : '');
      const { tag, block } = delimitAnswer(req.answer);
      const values = { question: questionText(question), gaps: gap, answer: block, answer_tag: tag };
      return (await ask('probe', probeT, values, [req.answer, questionText(question)])) ?? opts.fallback.probe(req);
    },

    async hint(req: HintRequest): Promise<string | undefined> {
      // The authored hints decide how many there are and which way each one points.
      const authored = await opts.fallback.hint(req);
      if (authored === undefined) return undefined;
      const gaps = req.criterion ? `- ${req.criterion.name}: ${req.criterion.description}` : `- ${authored}`;
      return (await ask('hint', hintT, { question: questionText(req.question), gaps })) ?? authored;
    },
  };
}

const questionText = (q: { prompt: string; context?: string }) => (q.context ? `${q.prompt}\n\nContext: ${q.context}` : q.prompt);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === 'string' ? p : (p as { type?: string; text?: string }).type === 'text' ? (p as { text?: string }).text ?? '' : '')).join('');
  }
  return '';
}
