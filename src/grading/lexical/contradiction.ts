import { oppositesOf } from './opposites.js';
import type { Prepared } from './prepared-text.js';

/**
 * An answer that uses the reference's words to say the opposite shares most of them, so word
 * overlap alone would credit it. Three ways of saying the opposite are checked against the
 * reference the answer matches best: a negation the reference does not have (or lacks one it
 * has), an opposite word in place of the reference's ("open" for "closed", "after" for
 * "before", "first" for "last"), and the reference's steps in reverse order.
 */
export type Contradiction = 'negation' | 'opposite' | 'order';

/** Share of the credit an answer keeps when it contradicts the reference. */
export const CONTRADICTION_KEEPS = 0.6;

export const CONTRADICTION_GAP: Record<Contradiction, string> = {
  negation: 'Part of the answer negates what the reference answer states.',
  opposite: 'The answer says the opposite of the reference answer on a key point.',
  order: 'The answer puts the steps in the reverse order of the reference answer.',
};

/** Opposites the similarity features do not list (kept apart so the trained model's inputs stay as trained). */
const MORE_OPPOSITES: [string, string][] = [
  ['first', 'last'], ['earli', 'later'], ['begin', 'end'], ['minimum', 'maximum'], ['min', 'max'], ['increas', 'reduc'],
  ['overestim', 'underestim'], ['enabl', 'disabl'], ['includ', 'exclud'], ['top', 'bottom'], ['left', 'right'],
  ['input', 'output'], ['send', 'receiv'], ['push', 'pop'], ['public', 'privat'], ['strong', 'weak'], ['better', 'wors'],
];
const MORE = new Map<string, Set<string>>();
for (const [a, b] of MORE_OPPOSITES) {
  (MORE.get(a) ?? MORE.set(a, new Set()).get(a)!).add(b);
  (MORE.get(b) ?? MORE.set(b, new Set()).get(b)!).add(a);
}

const ORDER_CUES = new Set(['befor', 'after', 'then', 'first', 'final', 'next', 'until', 'prior', 'later', 'step', 'follow']);

/**
 * Words that carry a negation in their meaning ("avoids copies" = "does not copy", "unlimited" =
 * "no limit", "only once" = "not each time"): where either text has one, a "not" in the other
 * may say the same thing, so negation flips are not judged.
 */
const IMPLICIT_NEGATION = /^(?:avoid|prevent|lack|fail|stop|omit|exclud|refus|instead|rather|except|only|unlimit|infinit|unabl|imposs|unlik|absenc|absent|neither|fewer|less|minim|reduc|elimin|skip|ignor|without)/;

const negatesImplicitly = (p: Prepared) => p.tokens.some((t) => IMPLICIT_NEGATION.test(t.stem));

function opposites(stem: string): string[] {
  return [...(oppositesOf(stem) ?? []), ...(MORE.get(stem) ?? [])];
}

/** Negated status of each stem: 'all' when every occurrence sits in a negated clause. */
function negation(p: Prepared): Map<string, { any: boolean; all: boolean }> {
  const out = new Map<string, { any: boolean; all: boolean }>();
  for (const c of p.content) {
    const v = out.get(c.t.stem);
    if (v) {
      v.any ||= c.negated;
      v.all &&= c.negated;
    } else out.set(c.t.stem, { any: c.negated, all: c.negated });
  }
  return out;
}

function firstPositions(p: Prepared): Map<string, number> {
  const out = new Map<string, number>();
  p.content.forEach((c, i) => {
    if (!out.has(c.t.stem)) out.set(c.t.stem, i);
  });
  return out;
}

type Step = Set<string>;

/**
 * "A before B", "B after A", "After A, B", "A, then B": pairs of steps in the order the text
 * puts them, each step the content stems of the clause beside the cue (stems on both sides
 * are not told apart, so they are dropped).
 */
export function precedences(text: string, p: Prepared): [Step, Step][] {
  const toks = p.tokens;
  const breakBefore = (i: number) => i === 0 || /[,;:.!?\n]/.test(text.slice(toks[i - 1]!.end, toks[i]!.start));
  const clause = (from: number, dir: 1 | -1): Step => {
    const out = new Set<string>();
    for (let i = from; i >= 0 && i < toks.length; i += dir) {
      if (dir === 1 && i > from && breakBefore(i)) break;
      if (ORDER_WORDS.has(toks[i]!.norm)) break;
      if (!toks[i]!.stop) out.add(toks[i]!.stem);
      if (dir === -1 && breakBefore(i)) break;
    }
    return out;
  };
  const pairs: [Step, Step][] = [];
  toks.forEach((t, i) => {
    if (!ORDER_WORDS.has(t.norm)) return;
    const right = clause(i + 1, 1);
    if (breakBefore(i) && (t.norm === 'after' || t.norm === 'before')) {
      // Fronted: "After A, B" / "Before A, B": B is the clause after the comma.
      let j = i + 1;
      while (j < toks.length && !breakBefore(j)) j++;
      const rest = clause(j, 1);
      pairs.push(t.norm === 'after' ? [right, rest] : [rest, right]);
      return;
    }
    const left = clause(i - 1, -1);
    pairs.push(t.norm === 'after' ? [right, left] : [left, right]);
  });
  return pairs
    .map(([a, b]): [Step, Step] => [new Set([...a].filter((x) => !b.has(x))), new Set([...b].filter((x) => !a.has(x)))])
    .filter(([a, b]) => a.size > 0 && b.size > 0);
}

const ORDER_WORDS = new Set(['before', 'after', 'then', 'afterwards', 'afterward']);

/** The reference puts some step before another, and the answer puts them the other way round. */
function reversed(answerText: string, answer: Prepared, refText: string, ref: Prepared): boolean {
  const want = precedences(refText, ref);
  const got = precedences(answerText, answer);
  const meets = (x: Step, y: Step) => [...x].some((s) => y.has(s));
  return want.some(([a, b]) => got.some(([c, d]) => meets(a, d) && meets(b, c)) && !got.some(([c, d]) => meets(a, c) && meets(b, d)));
}

export type ContradictionInput = { answerText: string; answer: Prepared; refText: string; ref: Prepared; question: ReadonlySet<string> };

export function contradiction({ answerText, answer, refText, ref, question }: ContradictionInput): Contradiction | undefined {
  const shared = [...ref.stems].filter((s) => answer.stems.has(s) && !question.has(s));
  // No shared word beyond the question's can still be the opposite: "less water, slower" for "more water, faster".

  const negA = negation(answer);
  const negR = negation(ref);
  let flipped = 0;
  for (const s of shared) {
    const a = negA.get(s)!, r = negR.get(s)!;
    if ((a.all && !r.any) || (r.all && !a.any)) flipped++;
  }
  // Negation scope is rough ("if no constructor is provided" / "when we do not define one"), so a
  // flip counts only when one text negates and the other does not negate at all.
  if (shared.length > 0 && answer.hasNegation !== ref.hasNegation && flipped > 0.5 * shared.length && !negatesImplicitly(answer) && !negatesImplicitly(ref)) return 'negation';

  for (const r of ref.stems) {
    if (answer.stems.has(r) || question.has(r)) continue;
    if (opposites(r).some((o) => answer.stems.has(o) && !ref.stems.has(o))) return 'opposite';
  }

  const cued = (p: Prepared) => p.tokens.some((t) => ORDER_CUES.has(t.stem));
  if (reversed(answerText, answer, refText, ref)) return 'order';
  if (cued(ref) && cued(answer)) {
    const keys = shared.filter((s) => !ORDER_CUES.has(s));
    if (keys.length >= 4) {
      const pa = firstPositions(answer), pr = firstPositions(ref);
      let agree = 0, disagree = 0;
      for (let i = 0; i < keys.length; i++) {
        for (let j = i + 1; j < keys.length; j++) {
          const d = Math.sign(pa.get(keys[i]!)! - pa.get(keys[j]!)!) * Math.sign(pr.get(keys[i]!)! - pr.get(keys[j]!)!);
          if (d > 0) agree++;
          else if (d < 0) disagree++;
        }
      }
      if (disagree > 1.5 * agree && disagree >= 3) return 'order';
    }
  }
  return undefined;
}
