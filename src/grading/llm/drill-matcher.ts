import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import type { DrillMatcher } from '../../core/drill/ports.js';
import { withTimeout } from './models.js';
import { checkTemplate, delimitAnswer, renderMessages, requireTemplate } from './prompt.js';

const PLACEHOLDERS = ['actions', 'message', 'message_tag'] as const;

const MatchSchema = z.object({
  covered: z.array(z.object({ id: z.string().describe('An expected action id from the list'), quote: z.string().describe('Verbatim words of the message') })),
});

export type LlmDrillMatcherOptions = { model: BaseChatModel; prompts: Map<string, string>; fallback: DrillMatcher; timeoutMs: number };

/**
 * Judges drill messages with the LLM: one structured call per message. Only listed action ids
 * with a quote found in the message count (see `locateQuote`); any failure falls back to the
 * lexical matcher, so a model outage never loses coverage, only nuance.
 */
export function createLlmDrillMatcher(opts: LlmDrillMatcherOptions): DrillMatcher {
  const template = requireTemplate(opts.prompts, 'drill-match');
  checkTemplate('drill-match', template, PLACEHOLDERS);
  const runnable = opts.model.withStructuredOutput(MatchSchema, { name: 'drill_actions' });
  return {
    async match(text, actions) {
      if (!text.trim() || actions.length === 0) return [];
      const { tag, block } = delimitAnswer(text);
      const list = actions.map((a) => `- id: ${a.id}: ${a.description}`).join('\n');
      const m = renderMessages(template, { actions: list, message: block, message_tag: tag }, 'drill-match');
      try {
        const raw = await withTimeout((signal) => runnable.invoke([...(m.system ? [new SystemMessage(m.system)] : []), new HumanMessage(m.user)], { signal }), opts.timeoutMs);
        const parsed = MatchSchema.parse(raw);
        const known = new Set(actions.map((a) => a.id));
        const seen = new Set<string>();
        return parsed.covered.flatMap((c) => {
          const quote = known.has(c.id) && !seen.has(c.id) ? locateQuote(text, c.quote) : undefined;
          if (quote === undefined) return [];
          seen.add(c.id);
          return [{ actionId: c.id, quote }];
        });
      } catch {
        return opts.fallback.match(text, actions);
      }
    },
  };
}

/** Lower case, straight quotes, one space per run of whitespace; `at[i]` is where char i came from. */
function fold(text: string): { s: string; at: number[] } {
  let s = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (s.length > 0 && !s.endsWith(' ')) {
        s += ' ';
        at.push(i);
      }
      continue;
    }
    // One char in, one char out, so `at` stays aligned ("İ" lower-cases to two).
    const low = ch.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').toLowerCase();
    s += low.length === 1 ? low : ch;
    at.push(i);
  }
  return { s, at };
}

const MAX_QUOTE = 400;

/**
 * The message's own words for a model's quote, or undefined when the message does not say it.
 * Models quote loosely: a capital letter where the message had none, a line break as a space,
 * or two parts of a sentence joined by "…" (typical when one message states two things, such
 * as both kinds of drift). Each part must be in the message, in order; the quote kept is the
 * message's verbatim text from the first part to the last, so the report never shows words
 * the participant did not write.
 */
export function locateQuote(text: string, quote: string): string | undefined {
  const exact = quote.trim();
  if (exact && text.includes(exact)) return exact;
  const parts = exact
    .split(/\.{3,}|…|\[\.\.\.\]/)
    .map((p) => fold(p.replace(/^[\s"'“”‘’]+|[\s"'“”‘’]+$/g, '')).s)
    .filter((p) => p.length > 0);
  if (parts.length === 0 || parts.every((p) => p.length < 3)) return undefined;
  const hay = fold(text);
  let from = 0;
  let start = -1;
  let end = -1;
  let firstLength = 0;
  for (const p of parts) {
    // A part may carry punctuation the model added at its edges ("(concept drift)," for "(concept drift").
    const found = [p, p.replace(/^[\s.,;:()-]+|[\s.,;:()-]+$/g, '')]
      .filter((x) => x.length > 0)
      .map((x) => ({ k: hay.s.indexOf(x, from), n: x.length }))
      .find((x) => x.k >= 0);
    if (!found) return undefined;
    if (start < 0) [start, firstLength] = [found.k, found.n];
    end = found.k + found.n;
    from = end;
  }
  const first = hay.at[start]!;
  const last = hay.at[end - 1]! + 1;
  // Parts far apart would make a quote of most of the message: keep the first part alone.
  const span = last - first <= MAX_QUOTE ? text.slice(first, last) : text.slice(first, hay.at[start + firstLength - 1]! + 1);
  return span.trim() || undefined;
}
