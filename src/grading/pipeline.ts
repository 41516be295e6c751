import { sanitizeAnswer } from '../core/kernel/answer.js';
import { checkAnswer, type GuardResult } from './guard.js';
import type { Grade, Grader, GradeRequest } from '../core/kernel/grading.js';

/**
 * The one way an answer is graded, whichever grader grades it:
 *
 *   1. sanitize  the text graded is the text stored (line breaks, control characters, length);
 *                a no-op for answers the core already stored.
 *   2. guard     too short, off topic, text addressed to the grader: decided once, before any
 *                grader reads the answer, and handed to it.
 *   3. grade     the lexical grader; or a model grader, which builds on the lexical grade and may
 *                fail instead of grading.
 *   4. keep verbatim evidence  a quote that is not word for word in the answer is dropped and
 *                counted (`meta.droppedQuotes`), so no grade claims what the answer did not say.
 *   5. fallback  when the model grader fails, the lexical grade answers, marked `fallback_used`
 *                with the reason: a failure is never a low grade.
 */

/** An answer after steps 1 and 2: what a grader grades. */
export type GuardedRequest = GradeRequest & { guard: GuardResult };

export type TokenUsage = { input: number; output: number };

/** What a grader that may fail returns: a grade, or why there is none and what the attempts cost. */
export type GradeAttempt = { ok: true; grade: Grade } | { ok: false; reason: string; tokens: TokenUsage };

/** Step 3 of a grader that may fail; `fallback` is the grade that answers if it does. */
export type FallibleGradeStep = (req: GuardedRequest, fallback: Grade) => Promise<GradeAttempt>;

/** Steps 1 and 2. */
function guardAnswer({ target, answer }: GradeRequest): GuardedRequest {
  const { text } = sanitizeAnswer(answer);
  return { target, answer: text, guard: checkAnswer(text, target) };
}

/** The pipeline around a grader that always grades (the lexical grader): steps 1 to 4, synchronously. */
export function gradeThroughPipeline(req: GradeRequest, grade: (req: GuardedRequest) => Grade): Grade {
  const guarded = guardAnswer(req);
  return keepVerbatimEvidence(grade(guarded), guarded.answer);
}

/**
 * The pipeline around a grader that may fail (the LLM grader), with `fallback` (the lexical
 * grader, itself graded through steps 1 to 4) behind it. The fallback grades first: the model
 * grader builds on its grade, and it answers if the model cannot.
 */
export async function gradeWithFallback(req: GradeRequest, grade: FallibleGradeStep, fallback: Grader): Promise<Grade> {
  const guarded = guardAnswer(req);
  const baseline = await fallback.grade({ target: guarded.target, answer: guarded.answer });
  const attempt = await grade(guarded, baseline);
  if (!attempt.ok) return fallbackGrade(baseline, attempt.reason, attempt.tokens);
  return keepVerbatimEvidence(attempt.grade, guarded.answer);
}

/**
 * The evidence rule, written once: a quote is evidence only if it is, word for word, part of the
 * answer. Whitespace around a quote is not part of it and a blank quote is no quote (left out,
 * not counted); any other quote the answer does not contain is dropped and counted. Graders that
 * decide on what survives (the LLM grader scores a criterion 0 without a kept quote) apply it as
 * they go; step 4 applies it to every grade.
 */
export type QuoteCheck = {
  /** The quote as evidence (trimmed), or undefined when it is not in the answer. */
  keep(quote: string): string | undefined;
  /** Quotes refused so far. */
  readonly dropped: number;
};

export function createQuoteCheck(answer: string): QuoteCheck {
  let dropped = 0;
  let folded: Folded | undefined;
  return {
    keep(quote) {
      const q = quote.trim();
      if (q === '') return undefined;
      if (answer.includes(q)) return q;
      // A model copies "I’d" as "I'd" and a line break as a space: find the passage with quotes,
      // dashes and spacing folded, and keep the answer's own text of it (still verbatim).
      folded ??= fold(answer);
      const f = fold(q).text;
      const at = f.length > 0 ? folded.text.indexOf(f) : -1;
      if (at >= 0) return answer.slice(folded.from[at]!, folded.from[at + f.length - 1]! + 1);
      dropped++;
      return undefined;
    },
    get dropped() {
      return dropped;
    },
  };
}

type Folded = { text: string; from: number[] };

/** Curly quotes and dashes made plain and runs of white space made one space; `from` maps back to the original. */
function fold(text: string): Folded {
  let out = '';
  const from: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (space) continue;
      space = true;
      out += ' ';
    } else {
      space = false;
      out += /[‘’‛′]/.test(c) ? "'" : /[“”„″]/.test(c) ? '"' : /[–—]/.test(c) ? '-' : c;
    }
    from.push(i);
  }
  return { text: out, from };
}

/** Step 4: the grade with only verbatim evidence, and what was dropped added to `meta.droppedQuotes`; the grade itself when every quote stands. */
export function keepVerbatimEvidence(grade: Grade, answer: string): Grade {
  // Nearly every grade passes as it is: check before copying anything (this runs on every grade).
  const probe = createQuoteCheck(answer);
  const stands = (quote: string) => probe.keep(quote) === quote;
  if (grade.criteria.every((c) => c.evidence.every(stands)) && Object.values(grade.star ?? {}).every((p) => p.evidence === undefined || stands(p.evidence))) {
    return grade;
  }
  const check = createQuoteCheck(answer);
  const criteria = grade.criteria.map((c) => ({ ...c, evidence: c.evidence.map((q) => check.keep(q)).filter((q): q is string => q !== undefined) }));
  const star = grade.star && (Object.fromEntries(
    Object.entries(grade.star).map(([part, v]) => {
      if (v.evidence === undefined) return [part, v];
      const kept = check.keep(v.evidence);
      if (kept !== undefined) return [part, { ...v, evidence: kept }];
      const { evidence: _dropped, ...rest } = v;
      return [part, rest];
    }),
  ) as NonNullable<Grade['star']>);
  return {
    ...grade, criteria, ...(star ? { star } : {}),
    ...(check.dropped > 0 ? { meta: { ...grade.meta, droppedQuotes: (grade.meta?.droppedQuotes ?? 0) + check.dropped } } : {}),
  };
}

/** Step 5: the fallback's grade, marked so the user is told the model did not grade this one, and why. */
function fallbackGrade(fallback: Grade, reason: string, tokens: TokenUsage): Grade {
  const flags = [...new Set([...fallback.flags, 'fallback_used', 'llm_unavailable'] as const)];
  const spent = tokens.input + tokens.output > 0 ? { tokens: { ...tokens } } : {};
  return { ...fallback, flags, meta: { ...fallback.meta, ...spent, fallbackReason: reason } };
}
