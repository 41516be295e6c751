import { idfOf, type IdfTable } from './idf.js';
import { oppositesOf } from './opposites.js';
import { keptWithReference, type Prepared } from './prepared-text.js';
import { softFeatures } from './soft-alignment.js';
import { stemsMatch } from './text.js';

/**
 * Answer-to-reference similarity features, shared by the reference-answer mode of the lexical
 * grader and by scripts/train-lexical.ts. Nothing here knows about a particular question: every
 * feature is a ratio or a count that means the same on any topic. The order of FEATURE_NAMES is
 * the order the committed models were trained on.
 */

export const FEATURE_NAMES = [
  'recall',
  'recall_novel',
  'precision',
  'precision_novel',
  'f1',
  'bigram_recall',
  'neg_mismatch',
  'neg_parity_diff',
  'opposite',
  'answer_in_question',
  'log_len',
  'len_ratio',
  'extra_words',
  'recall_any',
  'novel_coverage_any',
  'recall_novel_sq',
  'recall_x_precision_novel',
  'log_novel_matched',
  'char_trigram_dice',
  'soft_recall_novel',
  'soft_precision_novel',
  'aligned_recall_novel',
  'aligned_precision_novel',
  'sent_cos_novel',
  'sent_cos_all',
  'soft_bigram_recall',
  'lcs_novel',
  'neg_soft_mismatch',
  'consensus_recall',
  'best_soft_recall_any',
  'log_refs',
  'log_ref_novel',
  'mean_soft_recall_any',
  'bias',
] as const;

export type Features = number[];

export type MatchInfo = {
  /** Indices into the answer's `content` that matched a reference word. */
  answerMatched: Set<number>;
};

/** What the features of one reference need to know about all the question's references. */
export type AllReferences = { unionStems: Set<string>; bestRecall: number; consensus: Map<string, number>; count: number };

/** A set's stems by length (kept per set: a reference's never changes), since a typo changes the length by one at most. */
const stemsByLength = new WeakMap<Set<string>, Map<number, string[]>>();
function byLength(set: Set<string>): Map<number, string[]> {
  let m = stemsByLength.get(set);
  if (!m) {
    m = new Map();
    for (const s of set) (m.get(s.length) ?? m.set(s.length, []).get(s.length)!).push(s);
    stemsByLength.set(set, m);
  }
  return m;
}

function matchIn(stem: string, set: Set<string>): boolean {
  if (set.has(stem)) return true;
  if (stem.length < 5) return false;
  const m = byLength(set);
  for (let len = stem.length - 1; len <= stem.length + 1; len++) {
    for (const s of m.get(len) ?? []) if (stemsMatch(stem, s)) return true;
  }
  return false;
}

/** IDF-weighted totals of one side's words and of those the other side matched; "novel" leaves out the question's words. */
type Coverage = { total: number; matched: number; totalNovel: number; matchedNovel: number };

/**
 * How much of the reference the answer states, and of the matched words, the weight whose
 * negation differs between the two (a matched word the answer negates and the reference does not).
 */
function referenceCoverage(a: Prepared, r: Prepared, q: Set<string>, idf: IdfTable | undefined): Coverage & { negWeight: number; negMismatch: number } {
  let total = 0, matched = 0, totalNovel = 0, matchedNovel = 0, negWeight = 0, negMismatch = 0;
  const seen = new Set<string>();
  for (const c of r.content) {
    const s = c.t.stem;
    if (seen.has(s)) continue;
    seen.add(s);
    const w = idfOf(idf, s);
    const novel = !q.has(s);
    total += w;
    if (novel) totalNovel += w;
    if (matchIn(s, a.stems)) {
      matched += w;
      if (novel) matchedNovel += w;
      const ac = a.content.find((x) => x.t.stem === s || stemsMatch(x.t.stem, s));
      negWeight += w;
      if (ac && ac.negated !== c.negated) negMismatch += w;
    }
  }
  return { total, matched, totalNovel, matchedNovel, negWeight, negMismatch };
}

/**
 * How much of the answer the reference backs; also how many of the answer's words the question
 * already gave, and how many novel ones no reference uses at all (padding). Marks in `info` which
 * answer words matched, for quoting them.
 */
function answerCoverage(
  a: Prepared,
  r: Prepared,
  q: Set<string>,
  idf: IdfTable | undefined,
  unionStems: Set<string>,
  info: MatchInfo | undefined,
): Coverage & { words: number; inQuestion: number; extra: number } {
  let total = 0, matched = 0, totalNovel = 0, matchedNovel = 0, inQuestion = 0, extra = 0, words = 0;
  const seen = new Set<string>();
  for (let i = 0; i < a.content.length; i++) {
    const c = a.content[i]!;
    const s = c.t.stem;
    const hit = matchIn(s, r.stems);
    if (hit) info?.answerMatched.add(i);
    if (seen.has(s)) continue;
    seen.add(s);
    words++;
    const w = idfOf(idf, s);
    total += w;
    if (hit) matched += w;
    if (q.has(s)) inQuestion++;
    else {
      totalNovel += w;
      if (hit) matchedNovel += w;
      else if (!unionStems.has(s)) extra++;
    }
  }
  return { total, matched, totalNovel, matchedNovel, words, inQuestion, extra };
}

/** 1 when the answer uses the listed opposite of a reference word in its place. */
function saysOpposite(a: Prepared, r: Prepared): number {
  let opposite = 0;
  for (const s of a.stems) {
    const opp = oppositesOf(s);
    if (!opp) continue;
    for (const o of opp) if (r.stems.has(o) && !a.stems.has(o) && !r.stems.has(s)) opposite = 1;
  }
  return opposite;
}

function bigramRecall(a: Prepared, r: Prepared): number {
  let bTot = 0, bHit = 0;
  for (const b of r.bigrams) {
    bTot++;
    if (a.bigrams.has(b)) bHit++;
  }
  return bTot > 0 ? bHit / bTot : 0;
}

/** Share of the answer's novel words that some reference of the question uses. */
function novelCoverageAny(a: Prepared, q: Set<string>, unionStems: Set<string>): number {
  let novelAny = 0, novelTot = 0;
  for (const s of a.stems) {
    if (q.has(s)) continue;
    novelTot++;
    if (unionStems.has(s)) novelAny++;
  }
  return novelTot > 0 ? novelAny / novelTot : 0;
}

/**
 * Features of one answer against one reference, in FEATURE_NAMES order. `q` holds the question's
 * content stems (words the question already gives away count less); `all` describes every
 * reference of the question. The two features that compare references with each other are left
 * at 0 for `allReferenceFeatures` to fill.
 */
export function referenceFeatures(a: Prepared, r: Prepared, q: Set<string>, idf: IdfTable | undefined, all: AllReferences, info?: MatchInfo): Features {
  const ref = referenceCoverage(a, r, q, idf);
  const ans = answerCoverage(a, r, q, idf, all.unionStems, info);
  const recall = ref.total > 0 ? ref.matched / ref.total : 0;
  const precision = ans.total > 0 ? ans.matched / ans.total : 0;
  const recallNovel = ref.totalNovel > 0 ? ref.matchedNovel / ref.totalNovel : recall;
  const precisionNovel = ans.totalNovel > 0 ? ans.matchedNovel / ans.totalNovel : 0;
  const f1 = recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
  let novelMatched = 0;
  for (const st of r.stems) if (!q.has(st) && a.stems.has(st)) novelMatched++;
  return [
    recall,
    recallNovel,
    precision,
    precisionNovel,
    f1,
    bigramRecall(a, r),
    ref.negWeight > 0 ? ref.negMismatch / ref.negWeight : 0,
    a.hasNegation !== r.hasNegation ? 1 : 0,
    saysOpposite(a, r),
    ans.words > 0 ? ans.inQuestion / ans.words : 0,
    Math.log1p(ans.words),
    Math.log((ans.words + 1) / (r.stems.size + 1)),
    Math.log1p(ans.extra),
    all.bestRecall,
    novelCoverageAny(a, q, all.unionStems),
    recallNovel * recallNovel,
    recallNovel * precisionNovel,
    Math.log1p(novelMatched),
    trigramDice(a, r, q),
    ...softFeatures(a, r, q, idf),
    consensusRecall(a, r, q, all.consensus),
    0, // best_soft_recall_any: filled in by allReferenceFeatures
    Math.log(all.count),
    Math.log1p(ref.totalNovel),
    0, // mean_soft_recall_any: filled in by allReferenceFeatures
    1,
  ];
}

/** Recall of the reference's novel stems weighted by the share of the question's references that hold them. */
function consensusRecall(a: Prepared, r: Prepared, q: Set<string>, consensus: Map<string, number>): number {
  let tot = 0, hit = 0;
  for (const s of r.stems) {
    if (q.has(s)) continue;
    const w = consensus.get(s) ?? 0;
    tot += w;
    if (a.stems.has(s)) hit += w;
  }
  return tot > 0 ? hit / tot : 0;
}

function trigrams(p: Prepared, q: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const c of p.content) {
    if (q.has(c.t.stem)) continue;
    const w = ` ${c.t.norm} `;
    for (let i = 0; i + 3 <= w.length; i++) out.add(w.slice(i, i + 3));
  }
  return out;
}

/** Dice overlap of character trigrams of the words the question does not already give. */
function trigramDice(a: Prepared, r: Prepared, q: Set<string>): number {
  const ta = trigrams(a, q);
  const tr = keptWithReference(r, q, 'trigrams', () => trigrams(r, q));
  if (ta.size + tr.size === 0) return 0;
  let hit = 0;
  for (const t of ta) if (tr.has(t)) hit++;
  return (2 * hit) / (ta.size + tr.size);
}
