import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import type { DrillMatcher } from '../core/drill-ports.js';
import { withTimeout } from './models.js';
import { checkTemplate, delimitAnswer, renderMessages, requireTemplate } from './prompt.js';

const PLACEHOLDERS = ['actions', 'message', 'message_tag'] as const;

const MatchSchema = z.object({
  covered: z.array(z.object({ id: z.string().describe('An expected action id from the list'), quote: z.string().describe('Verbatim words of the message') })),
});

export type LlmDrillMatcherOptions = { model: BaseChatModel; prompts: Map<string, string>; fallback: DrillMatcher; timeoutMs: number };

/**
 * Judges drill messages with the LLM: one structured call per message. Only listed action ids
 * with a quote found verbatim in the message count; any failure falls back to the lexical matcher,
 * so a model outage never loses coverage, only nuance.
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
          if (!known.has(c.id) || seen.has(c.id) || !c.quote.trim() || !text.includes(c.quote.trim())) return [];
          seen.add(c.id);
          return [{ actionId: c.id, quote: c.quote.trim() }];
        });
      } catch {
        return opts.fallback.match(text, actions);
      }
    },
  };
}
