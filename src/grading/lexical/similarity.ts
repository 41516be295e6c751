import { predictAny, type ReferenceModel } from './ensemble.js';
import { addVector, stemsMatch, tokenize, unitRows, vectorDims, vectorId, withinOneEdit, type Token } from './text.js';

/**
 * Answer-to-reference similarity features, shared by the reference-answer mode of the
 * lexical grader and by scripts/train-lexical.ts. Nothing here knows about a particular
 * question: every feature is a ratio or a count that means the same on any topic.
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

/** Document frequencies: idf(stem) = log((N + 1) / (df + 1)) + 1, unknown stems get the maximum. */
export type IdfTable = { n: number; df: Record<string, number> };

export function idfOf(table: IdfTable | undefined, stem: string): number {
  if (!table) return 1;
  const df = table.df[stem] ?? 0;
  return Math.log((table.n + 1) / (df + 1)) + 1;
}

/** Small, domain-general opposites: a student who says the opposite shares most words. */
const OPPOSITES: [string, string][] = [
  ['open', 'close'], ['open', 'closed'], ['connect', 'separ'], ['connect', 'disconnect'], ['same', 'differ'],
  ['posit', 'neg'], ['increas', 'decreas'], ['more', 'less'], ['higher', 'lower'], ['larger', 'smaller'],
  ['bigger', 'smaller'], ['greater', 'less'], ['high', 'low'], ['true', 'fals'], ['on', 'off'], ['in', 'out'],
  ['complet', 'incomplet'], ['conductor', 'insul'], ['attract', 'repel'], ['gain', 'lose'], ['hot', 'cold'],
  ['warm', 'cool'], ['fast', 'slow'], ['long', 'short'], ['heavi', 'light'], ['up', 'down'], ['start', 'stop'],
  ['alway', 'never'], ['all', 'none'], ['befor', 'after'], ['insid', 'outsid'], ['rise', 'fall'], ['absorb', 'reflect'],
  ['underfit', 'overfit'], ['precis', 'recal'], ['bia', 'varianc'], ['accept', 'reject'], ['pass', 'fail'],
  ['correct', 'incorrect'], ['valid', 'invalid'], ['safe', 'unsaf'], ['allow', 'block'], ['add', 'remov'],
];
const OPP = new Map<string, Set<string>>();
for (const [a, b] of OPPOSITES) {
  (OPP.get(a) ?? OPP.set(a, new Set()).get(a)!).add(b);
  (OPP.get(b) ?? OPP.set(b, new Set()).get(b)!).add(a);
}

/** Stems that mean the opposite of `stem` in the list above. */
export function oppositesOf(stem: string): ReadonlySet<string> | undefined {
  return OPP.get(stem);
}

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

/**
 * Features of one answer against one reference. `q` holds the question's content stems
 * (words the question already gives away count less), `all` the stems of every reference.
 */
export function referenceFeatures(
  a: Prepared,
  r: Prepared,
  q: Set<string>,
  idf: IdfTable | undefined,
  anyRefs: { unionStems: Set<string>; bestRecall: number; consensus: Map<string, number>; count: number },
  info?: MatchInfo,
): Features {
  let rw = 0, rm = 0, rwN = 0, rmN = 0, negW = 0, negMis = 0;
  const seenR = new Set<string>();
  for (const c of r.content) {
    const s = c.t.stem;
    if (seenR.has(s)) continue;
    seenR.add(s);
    const w = idfOf(idf, s);
    const novel = !q.has(s);
    rw += w;
    if (novel) rwN += w;
    const hit = matchIn(s, a.stems);
    if (hit) {
      rm += w;
      if (novel) rmN += w;
      const ac = a.content.find((x) => x.t.stem === s || stemsMatch(x.t.stem, s));
      negW += w;
      if (ac && ac.negated !== c.negated) negMis += w;
    }
  }
  let aw = 0, am = 0, awN = 0, amN = 0, inQ = 0, extra = 0;
  const seenA = new Set<string>();
  let aCount = 0;
  for (let i = 0; i < a.content.length; i++) {
    const c = a.content[i]!;
    const s = c.t.stem;
    const hit = matchIn(s, r.stems);
    if (hit) info?.answerMatched.add(i);
    if (seenA.has(s)) continue;
    seenA.add(s);
    aCount++;
    const w = idfOf(idf, s);
    aw += w;
    if (hit) am += w;
    if (q.has(s)) inQ++;
    else {
      awN += w;
      if (hit) amN += w;
      else if (!anyRefs.unionStems.has(s)) extra++;
    }
  }
  let opposite = 0;
  for (const s of a.stems) {
    const opp = OPP.get(s);
    if (!opp) continue;
    for (const o of opp) if (r.stems.has(o) && !a.stems.has(o) && !r.stems.has(s)) opposite = 1;
  }
  let bTot = 0, bHit = 0;
  for (const b of r.bigrams) {
    bTot++;
    if (a.bigrams.has(b)) bHit++;
  }
  const recall = rw > 0 ? rm / rw : 0;
  const precision = aw > 0 ? am / aw : 0;
  const recallNovel = rwN > 0 ? rmN / rwN : recall;
  const precisionNovel = awN > 0 ? amN / awN : 0;
  const f1 = recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
  let novelMatched = 0;
  for (const st of seenR) if (!q.has(st) && a.stems.has(st)) novelMatched++;
  const dice = trigramDice(a, r, q);
  const soft = softFeatures(a, r, q, idf);
  let novelAny = 0, novelTot = 0;
  for (const s of seenA) {
    if (q.has(s)) continue;
    novelTot++;
    if (anyRefs.unionStems.has(s)) novelAny++;
  }
  return [
    recall,
    recallNovel,
    precision,
    precisionNovel,
    f1,
    bTot > 0 ? bHit / bTot : 0,
    negW > 0 ? negMis / negW : 0,
    a.hasNegation !== r.hasNegation ? 1 : 0,
    opposite,
    aCount > 0 ? inQ / aCount : 0,
    Math.log1p(aCount),
    Math.log((aCount + 1) / (r.stems.size + 1)),
    Math.log1p(extra),
    anyRefs.bestRecall,
    novelTot > 0 ? novelAny / novelTot : 0,
    recallNovel * recallNovel,
    recallNovel * precisionNovel,
    Math.log1p(novelMatched),
    dice,
    ...soft,
    consensusRecall(a, r, q, anyRefs.consensus),
    0, // best_soft_recall_any: filled in by allReferenceFeatures
    Math.log(anyRefs.count),
    Math.log1p(rwN),
    0, // mean_soft_recall_any: filled in by allReferenceFeatures
    1,
  ];
}

/**
 * What a reference yields for one question, kept with the prepared reference: graders prepare a
 * target's references once, so only the answer's side is worked out on each grade.
 */
const perReference = new WeakMap<Prepared, { q: Set<string>; values: Map<string, unknown> }>();

function memo<T>(r: Prepared, q: Set<string>, key: string, make: () => T): T {
  let entry = perReference.get(r);
  if (!entry || entry.q !== q) perReference.set(r, (entry = { q, values: new Map() }));
  if (!entry.values.has(key)) entry.values.set(key, make());
  return entry.values.get(key) as T;
}

/** Answer words whose similarity rows are kept per reference (about 0.7 MB for a long model answer). */
const ROW_CACHE_MAX = 1000;

/** Word pairs below this cosine count as unaligned (by-question CV on train: 0.6 ≥ 0.5). */
export const SOFT_FLOOR = 0.6;

export const ALIGN_THRESHOLD = 0.6;

/**
 * Soft alignment (Sultan et al. style): each word on one side is aligned to its most similar
 * word on the other side; "soft" sums the similarity, "aligned" counts pairs above
 * ALIGN_THRESHOLD. Only words the question does not already give count. Plus the cosine of
 * IDF-weighted mean word vectors.
 */
function softFeatures(a: Prepared, r: Prepared, q: Set<string>, idf: IdfTable | undefined): number[] {
  const an = a.uniq.filter((x) => !q.has(x.stem));
  const rn = memo(r, q, 'novel', () => r.uniq.filter((x) => !q.has(x.stem)));
  // Every answer word against every reference word, once: both directions read the same matrix.
  const ub = memo(r, q, 'unit', () => unitRows(rn.map((x) => x.id)));
  const sims = similarityMatrix(an, rn, ub, memo(r, q, 'rows', () => new Map<string, Float64Array>()));
  const dir = (from: typeof an, to: typeof an, at: (i: number, j: number) => number) => {
    let tot = 0, soft = 0, hard = 0;
    for (let i = 0; i < from.length; i++) {
      const w = idfOf(idf, from[i]!.stem);
      let best = 0;
      for (let j = 0; j < to.length && best < 1; j++) best = Math.max(best, at(i, j));
      tot += w;
      soft += w * best;
      if (best >= ALIGN_THRESHOLD) hard += w;
    }
    return tot > 0 ? [soft / tot, hard / tot] : [0, 0];
  };
  const [softR, hardR] = dir(rn, an, (i, j) => sims[j * rn.length + i]!);
  const [softP, hardP] = dir(an, rn, (i, j) => sims[i * rn.length + j]!);
  const meanNovel = memo(r, q, `mean-novel:${idf ? 'idf' : ''}`, () => meanVector(rn, idf));
  const meanAll = memo(r, q, `mean-all:${idf ? 'idf' : ''}`, () => meanVector(r.uniq, idf));
  const seq = sequenceFeatures(a, r, q, an, rn, sims);
  return [softR!, softP!, hardR!, hardP!, sentCos(meanVector(an, idf), meanNovel), sentCos(meanVector(a.uniq, idf), meanAll), ...seq];
}

/**
 * Order and negation over the aligned words: soft bigram recall (a reference word pair found, as
 * aligned words, next to each other or one word apart in the answer), the longest common
 * subsequence of aligned novel words over the reference's, the share of aligned reference words
 * whose negation differs (a contradiction). (The size of the reference's vocabulary lowered CV.)
 */
function sequenceFeatures(
  a: Prepared,
  r: Prepared,
  q: Set<string>,
  an: { stem: string }[],
  rn: { stem: string }[],
  sims: Float64Array,
): number[] {
  const ai = new Map(an.map((x, i) => [x.stem, i]));
  const ri = memo(r, q, 'novel-index', () => new Map(rn.map((x, i) => [x.stem, i])));
  const rSeq = memo(r, q, 'seq', () => r.content.filter((c) => !q.has(c.t.stem)).map((c) => ({ j: ri.get(c.t.stem)!, negated: c.negated })));
  const aSeq = a.content.filter((c) => !q.has(c.t.stem)).map((c) => ({ i: ai.get(c.t.stem)!, negated: c.negated }));
  const R = rn.length;
  const ok = (i: number, j: number) => sims[i * R + j]! >= ALIGN_THRESHOLD;
  // Soft bigrams.
  let bTot = 0, bHit = 0;
  for (let x = 0; x + 1 < rSeq.length; x++) {
    const p = rSeq[x]!.j, n = rSeq[x + 1]!.j;
    if (p === n) continue;
    bTot++;
    let hit = false;
    for (let y = 0; y < aSeq.length && !hit; y++) {
      if (!ok(aSeq[y]!.i, p)) continue;
      for (let z = y + 1; z <= y + 2 && z < aSeq.length; z++) if (ok(aSeq[z]!.i, n)) hit = true;
    }
    if (hit) bHit++;
  }
  // LCS of aligned positions.
  const m = aSeq.length, n = rSeq.length;
  let lcs = 0;
  if (m > 0 && n > 0) {
    let prev = new Int32Array(n + 1), cur = new Int32Array(n + 1);
    for (let x = 1; x <= m; x++) {
      const ia = aSeq[x - 1]!.i;
      for (let y = 1; y <= n; y++) cur[y] = ok(ia, rSeq[y - 1]!.j) ? prev[y - 1]! + 1 : Math.max(prev[y]!, cur[y - 1]!);
      [prev, cur] = [cur, prev];
    }
    lcs = prev[n]!;
  }
  // Negation of aligned words.
  let aligned = 0, flip = 0;
  for (const rc of rSeq) {
    let best = -1, bestSim = ALIGN_THRESHOLD;
    for (let y = 0; y < aSeq.length; y++) {
      const sv = sims[aSeq[y]!.i * R + rc.j]!;
      if (sv >= bestSim) { bestSim = sv; best = y; }
    }
    if (best < 0) continue;
    aligned++;
    if (aSeq[best]!.negated !== rc.negated) flip++;
  }
  return [bTot > 0 ? bHit / bTot : 0, n > 0 ? lcs / n : 0, aligned > 0 ? flip / aligned : 0];
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

/**
 * Similarity of every pair of words, row-major by `as`: 1 for a (typo-tolerant) stem match, 0 for
 * listed opposites, else the vector cosine when it reaches SOFT_FLOOR. Whether a word may match
 * with a typo (stemsMatch's rule) is worked out once per word, not once per pair.
 */
function similarityMatrix(
  as: { stem: string; id: number }[],
  bs: { stem: string; id: number }[],
  ub: Float64Array,
  rows: Map<string, Float64Array>,
): Float64Array {
  const fuzzy = (x: { stem: string }) => x.stem.length >= 5 && !/\d/.test(x.stem);
  const fa = as.map(fuzzy);
  const fb = bs.map(fuzzy);
  const out = new Float64Array(as.length * bs.length);
  const dims = vectorDims();
  const lb = bs.map((x) => x.stem.length);
  for (let i = 0; i < as.length; i++) {
    const a = as[i]!;
    // A word's row against this reference never changes; answers to one question share most words.
    let row = rows.get(a.stem);
    if (!row) {
      row = new Float64Array(bs.length);
      const ua = unitRows([a.id]);
      for (let j = 0; j < bs.length; j++) {
        const b = bs[j]!;
        if (a.stem === b.stem || (fa[i] && fb[j] && (a.id < 0 || b.id < 0) && Math.abs(a.stem.length - lb[j]!) <= 1 && withinOneEdit(a.stem, b.stem))) row[j] = 1;
        else if (a.id >= 0 && b.id >= 0) {
          // Four running sums: the dot product is the hot loop of grading.
          const ob = j * dims;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let k = 0; k < dims; k += 4) {
            s0 += ua[k]! * ub[ob + k]!;
            s1 += ua[k + 1]! * ub[ob + k + 1]!;
            s2 += ua[k + 2]! * ub[ob + k + 2]!;
            s3 += ua[k + 3]! * ub[ob + k + 3]!;
          }
          const c = a.id === b.id ? 1 : s0 + s1 + s2 + s3;
          // Opposites ("increase"/"decrease") sit close in vector space; they never align.
          if (c >= SOFT_FLOOR && !OPP.get(a.stem)?.has(b.stem)) row[j] = c;
        }
      }
      if (rows.size >= ROW_CACHE_MAX) rows.clear();
      rows.set(a.stem, row);
    }
    out.set(row, i * bs.length);
  }
  return out;
}

function meanVector(xs: { stem: string; id: number }[], idf: IdfTable | undefined): Float64Array | undefined {
  const acc = new Float64Array(vectorDims());
  let any = false;
  for (const x of xs) {
    if (x.id < 0) continue;
    addVector(acc, x.id, idfOf(idf, x.stem));
    any = true;
  }
  return any ? acc : undefined;
}

function sentCos(va: Float64Array | undefined, vb: Float64Array | undefined): number {
  if (!va || !vb) return 0;
  let d = 0, na = 0, nb = 0;
  for (let j = 0; j < va.length; j++) {
    d += va[j]! * vb[j]!;
    na += va[j]! * va[j]!;
    nb += vb[j]! * vb[j]!;
  }
  return na > 0 && nb > 0 ? d / Math.sqrt(na * nb) : 0;
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
  const tr = memo(r, q, 'trigrams', () => trigrams(r, q));
  if (ta.size + tr.size === 0) return 0;
  let hit = 0;
  for (const t of ta) if (tr.has(t)) hit++;
  return (2 * hit) / (ta.size + tr.size);
}

export type ReferenceMatch = {
  /** Probability-like similarity 0..1 to the best-matching reference. */
  prob: number;
  bestRef: number;
  features: Features;
  /** Answer content indices that matched the best reference. */
  answerMatched: Set<number>;
};

const SOFT_RECALL = FEATURE_NAMES.indexOf('soft_recall_novel');
const BEST_SOFT_ANY = FEATURE_NAMES.indexOf('best_soft_recall_any');
const MEAN_SOFT_ANY = FEATURE_NAMES.indexOf('mean_soft_recall_any');

/** Share of the references holding each stem (kept per reference list: graders reuse theirs). */
const consensusCache = new WeakMap<Prepared[], Map<string, number>>();
function refConsensus(refs: Prepared[]): Map<string, number> {
  let m = consensusCache.get(refs);
  if (!m) {
    m = new Map();
    for (const r of refs) for (const s of r.stems) m.set(s, (m.get(s) ?? 0) + 1 / refs.length);
    consensusCache.set(refs, m);
  }
  return m;
}

/** Simple recall of a reference's content stems (used to find the best reference cheaply). */
function plainRecall(a: Prepared, r: Prepared): number {
  if (r.stems.size === 0) return 0;
  let hit = 0;
  for (const s of r.stems) if (a.stems.has(s)) hit++;
  return hit / r.stems.size;
}

/** All per-reference feature vectors of an answer (for training and for grading). */
export function allReferenceFeatures(
  a: Prepared,
  refs: Prepared[],
  q: Set<string>,
  idf: IdfTable | undefined,
): { features: Features; answerMatched: Set<number> }[] {
  const unionStems = new Set<string>();
  for (const r of refs) for (const s of r.stems) unionStems.add(s);
  let bestRecall = 0;
  for (const r of refs) bestRecall = Math.max(bestRecall, plainRecall(a, r));
  const consensus = refConsensus(refs);
  const out = refs.map((r) => {
    const info: MatchInfo = { answerMatched: new Set() };
    const features = referenceFeatures(a, r, q, idf, { unionStems, bestRecall, consensus, count: refs.length }, info);
    return { features, answerMatched: info.answerMatched };
  });
  let bestSoft = 0;
  for (const x of out) bestSoft = Math.max(bestSoft, x.features[SOFT_RECALL]!);
  let meanSoft = 0;
  for (const x of out) meanSoft += x.features[SOFT_RECALL]! / out.length;
  for (const x of out) {
    x.features[BEST_SOFT_ANY] = bestSoft;
    x.features[MEAN_SOFT_ANY] = meanSoft;
  }
  return out;
}

/** Scores an answer against its references: the best-matching reference counts. */
export function matchReferences(
  a: Prepared,
  refs: Prepared[],
  q: Set<string>,
  model: ReferenceModel,
  idf: IdfTable | undefined,
): ReferenceMatch | undefined {
  if (refs.length === 0) return undefined;
  let best: ReferenceMatch | undefined;
  allReferenceFeatures(a, refs, q, idf).forEach((x, i) => {
    const prob = predictAny(model, x.features);
    if (!best || prob > best.prob) best = { prob, bestRef: i, features: x.features, answerMatched: x.answerMatched };
  });
  return best;
}
