import { tokenize, vectorId, type Token } from './text.js';

/**
 * A text made ready for comparison with another: its content words (and which of them sit in a
 * negated clause), stems, near-adjacent stem pairs and word-vector rows. Answers are prepared once
 * per grade; references once per target, with what they yield for a question kept beside them.
 */

export type Prepared = {
  tokens: Token[];
  /** Content tokens (no stopwords), with whether each sits in a negated clause. */
  content: { t: Token; negated: boolean; index: number }[];
  stems: Set<string>;
  /** Adjacent content-stem pairs, plus pairs one content word apart. */
  bigrams: Set<string>;
  hasNegation: boolean;
  /** Unique content stems with their vector rows (-1 when not in the table). */
  uniq: { stem: string; id: number }[];
};

const CLAUSE_BREAK = /[,;:.!?\n]|\b(?:but|however|although|though|whereas|while)\b/i;

export function prepare(text: string): Prepared {
  const tokens = tokenize(text);
  const content: Prepared['content'] = [];
  let negUntil = -1;
  let hasNegation = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (prev && CLAUSE_BREAK.test(text.slice(prev.end, t.start))) negUntil = -1;
    if (/^(?:but|however|although|though|whereas|while)$/.test(t.norm)) negUntil = -1;
    if (t.negation) {
      negUntil = i + 4;
      hasNegation = true;
      continue;
    }
    if (!t.stop) content.push({ t, negated: i <= negUntil, index: i });
  }
  const stems = new Set(content.map((c) => c.t.stem));
  const bigrams = new Set<string>();
  for (let i = 0; i < content.length; i++) {
    const a = content[i]!.t.stem;
    const b = content[i + 1]?.t.stem;
    const c = content[i + 2]?.t.stem;
    if (b) bigrams.add(`${a} ${b}`);
    if (c) bigrams.add(`${a} ${c}`);
  }
  const uniq = [...stems].map((s) => ({ stem: s, id: vectorId(s) }));
  return { tokens, content, stems, bigrams, hasNegation, uniq };
}

/**
 * What a reference yields for one question, kept with the prepared reference: graders prepare a
 * target's references once, so only the answer's side is worked out on each grade.
 */
const perReference = new WeakMap<Prepared, { q: Set<string>; values: Map<string, unknown> }>();

/** The value `key` of reference `r` for question stems `q`, made on first use. */
export function keptWithReference<T>(r: Prepared, q: Set<string>, key: string, make: () => T): T {
  let entry = perReference.get(r);
  if (!entry || entry.q !== q) perReference.set(r, (entry = { q, values: new Map() }));
  if (!entry.values.has(key)) entry.values.set(key, make());
  return entry.values.get(key) as T;
}
