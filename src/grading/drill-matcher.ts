import type { DrillMatcher } from '../core/drill-ports.js';
import { findAny, indexAnswer, quotes } from './match.js';
import { prepare } from './similarity.js';

/** Matches expected actions in chat messages with the lexical grader's term matching. */
export function createLexicalDrillMatcher(): DrillMatcher {
  return {
    async match(text, actions) {
      if (!text.trim()) return [];
      const ix = indexAnswer(prepare(text), text);
      const hits: { actionId: string; quote: string }[] = [];
      for (const action of actions) {
        for (const signal of action.signals) {
          const hit = findAny(ix, signal.terms);
          if (!hit) continue;
          hits.push({ actionId: action.id, quote: quotes(text, ix, [hit.start], 1)[0] ?? text.slice(hit.start, hit.end) });
          break;
        }
      }
      return hits;
    },
  };
}
