import type { DrillMatcher } from '../../core/drill/ports.js';
import { findAny, indexAnswer, quotes, type AnswerIndex } from './match.js';
import { prepare } from './prepared-text.js';
import { statementSpans } from './statements.js';
import type { Span } from './text.js';

/**
 * Matches expected actions in chat messages with the lexical grader's term matching, one
 * sentence (or line) at a time: a signal term counts only inside a sentence that states
 * something. "data drift concept drift" names two ideas and commits to neither; "the mix
 * shifted (data drift)" is a claim the facilitator can hold the team to. Without a parser the
 * test is the one answers are graded by (statements.ts); every action a message shows is credited.
 */
export function createLexicalDrillMatcher(): DrillMatcher {
  return {
    async match(text, actions) {
      const statements = statementSpans(text).filter((s) => s.statement).map((s) => {
        const sentence = text.slice(s.start, s.end);
        return { s, ix: indexAnswer(prepare(sentence), sentence) };
      });
      if (statements.length === 0) return [];
      const ix = indexAnswer(prepare(text), text);
      const hits: { actionId: string; quote: string }[] = [];
      for (const action of actions) {
        const hit = firstHit(statements, action.signals);
        if (hit === undefined) continue;
        hits.push({ actionId: action.id, quote: quotes(text, ix, [hit.start], 1)[0] ?? text.slice(hit.start, hit.end) });
      }
      return hits;
    },
  };
}

type Statement = { s: Span; ix: AnswerIndex };

function firstHit(statements: Statement[], signals: { terms: string[] }[]): Span | undefined {
  for (const signal of signals) {
    for (const { s, ix } of statements) {
      const hit = findAny(ix, signal.terms);
      if (hit) return { start: s.start + hit.start, end: s.start + hit.end };
    }
  }
  return undefined;
}
