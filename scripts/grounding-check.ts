/**
 * Measures the LLM grader's evidence rule (src/grading/llm/grounding.ts) on the shipped questions,
 * through the real createLlmGrader with a scripted stand-in for the model:
 *
 *   honest     - on each question's model answer, quotes for every criterion the sentence that
 *                best matches it (signal terms first, then shared words; STAR parts by their
 *                cue sentence) and scores 4. The grounded grade should stay high (>= 80).
 *   foreign    - the model answer padded with one sentence of ANOTHER question's model answer;
 *                the model quotes that sentence for every criterion, score 4. Should be rejected.
 *   filler     - the same with a filler sentence ("As I said, I think that is basically the main point here.").
 *   own words  - a strong answer that avoids the rubric's terms, graded by the honest model.
 *   paraphrases - hand-written honest quotes without their criterion's signal terms.
 *
 *   npx tsx scripts/grounding-check.ts [--json]
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { loadCatalog } from '../src/content/load.js';
import type { Criterion } from '../src/content/schema.js';
import { judgeQuote } from '../src/grading/llm/grounding.js';
import { createLexicalGrader } from '../src/grading/lexical/grader.js';
import { createLlmGrader } from '../src/grading/llm/grader.js';
import { findAny, indexAnswer } from '../src/grading/lexical/match.js';
import { prepare } from '../src/grading/lexical/prepared-text.js';
import { detectStar } from '../src/grading/lexical/star.js';
import { targetFor } from '../src/core/practice/target.js';
import { contentStems, sentenceSpans } from '../src/grading/lexical/text.js';
import { STAR_PARTS, type GradingTarget } from '../src/core/kernel/grading.js';

type Out = { criteria: { id: string; evidence: string[]; rationale: string; score: number }[]; star?: Record<string, { present: boolean; evidence: string }> };
type Script = (target: GradingTarget, answer: string) => Out;

const catalog = loadCatalog();
const lexical = createLexicalGrader();
const json = process.argv.includes('--json');

/** A stand-in model: what withStructuredOutput(...).invoke returns, from a script. */
function scripted(script: Script, target: GradingTarget, answer: string): BaseChatModel {
  const full = (o: Out) => ({ ...o, strengths: [], gaps: [], followUp: 'What would you check first?', flags: [] });
  return { withStructuredOutput: () => ({ invoke: async () => ({ parsed: full(script(target, answer)), raw: {} }) }) } as unknown as BaseChatModel;
}

async function gradeWith(script: Script, target: GradingTarget, answer: string) {
  const grader = createLlmGrader({
    model: scripted(script, target, answer),
    modelName: 'scripted',
    prompts: catalog.prompts,
    fallback: lexical,
    timeoutMs: 5_000,
    maxRetries: 0,
  });
  return grader.grade({ target, answer });
}

const sentences = (text: string) => sentenceSpans(text).map((s) => text.slice(s.start, s.end));
const critText = (c: Criterion) => [c.name, c.description, c.anchors['2'], c.anchors['4'], ...c.signals.map((s) => s.label)].join(' ');

/** The sentence an honest grader would quote for `c`: most signals hit, then most shared words. */
function bestSentence(answer: string, c: Criterion): string | undefined {
  const want = new Set(contentStems(critText(c)));
  let best: string | undefined;
  let bestScore = 0;
  for (const s of sentences(answer)) {
    const ix = indexAnswer(prepare(s), s);
    const hits = c.signals.filter((sig) => findAny(ix, sig.terms)).length;
    const shared = new Set(contentStems(s).filter((x) => want.has(x))).size;
    const score = hits * 100 + shared;
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return best;
}

const honest: Script = (target, answer) => {
  const cues = detectStar(answer, indexAnswer(prepare(answer), answer));
  const starOf = new Map(Object.entries(target.starCriteria ?? {}).map(([part, id]) => [id, part as (typeof STAR_PARTS)[number]]));
  const quoteFor = (c: Criterion) => {
    const part = starOf.get(c.id);
    const span = part ? cues[part].span : undefined;
    return span ? answer.slice(span.start, span.end) : bestSentence(answer, c);
  };
  const criteria = target.criteria.map((c) => {
    const q = quoteFor(c);
    return { id: c.id, evidence: q ? [q] : [], rationale: 'Meets the 4 anchor.', score: q ? 4 : 0 };
  });
  const star = target.starCriteria
    ? Object.fromEntries(STAR_PARTS.map((p) => {
        const c = target.criteria.find((x) => x.id === target.starCriteria![p])!;
        const q = quoteFor(c);
        return [p, { present: q !== undefined, evidence: q ?? '' }];
      }))
    : undefined;
  return { criteria, ...(star ? { star } : {}) };
};

const quoting = (quote: string): Script => (target) => ({
  criteria: target.criteria.map((c) => ({ id: c.id, evidence: [quote], rationale: 'Fully covered.', score: 4 })),
  ...(target.starCriteria ? { star: Object.fromEntries(STAR_PARTS.map((p) => [p, { present: true, evidence: quote }])) } : {}),
});

const FILLER = 'As I said, I think that is basically the main point here.';
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const questions = [...catalog.questions.values()];
const honestRows: { id: string; grounded: number; lexical: number; zeroed: string[] }[] = [];
for (const q of questions) {
  const target = targetFor(q, catalog);
  const g = await gradeWith(honest, target, q.modelAnswer);
  const lex = await lexical.grade({ target, answer: q.modelAnswer });
  const zeroed = g.criteria.filter((c) => c.score === 0).map((c) => c.id);
  honestRows.push({ id: q.id, grounded: g.score, lexical: lex.score, zeroed });
}

// Foreign sentences: every sentence of every other question's model answer, judged against
// every criterion of the question. "pairs" counts topic criteria only (STAR parts take any
// story clause by design). "padded grade" is what the model answer padded with that sentence
// would score if the model quoted it for every criterion with a 4: the share of criterion
// weight that accepts it. The whole grader also runs once per question pair on the foreign
// sentence that the most criteria accept (the hardest case).
let pairs = 0, accepted = 0;
const padded: number[] = [];
const hardestScores: number[] = [];
const worst: { q: string; from: string; score: number; quote: string }[] = [];
for (const q of questions) {
  const target = targetFor(q, catalog);
  const star = new Set(Object.values(target.starCriteria ?? {}));
  const total = target.criteria.reduce((a, c) => a + c.weight, 0);
  for (const other of questions) {
    if (other.id === q.id) continue;
    let hardest = '', hardestShare = -1;
    for (const s of sentences(other.modelAnswer)) {
      if (q.modelAnswer.includes(s)) continue;
      let share = 0;
      for (const c of target.criteria) {
        const ok = judgeQuote(target, target.criteria, c, s).relevant;
        if (!star.has(c.id)) (pairs++, ok && accepted++);
        if (ok) share += c.weight / total;
      }
      padded.push(100 * share);
      if (share > hardestShare) [hardest, hardestShare] = [s, share];
    }
    const g = await gradeWith(quoting(hardest), target, `${q.modelAnswer}\n\n${hardest}`);
    hardestScores.push(g.score);
    worst.push({ q: q.id, from: other.id, score: g.score, quote: hardest });
  }
}
worst.sort((a, b) => b.score - a.score);

// Paraphrases: honest quotes in a candidate's own words, written to avoid the criterion's signal
// terms (and mostly its description's words too): how much the word and vector path accepts.
const PARAPHRASES: [string, string, string][] = [
  ['fraud-accuracy-paradox', 'imbalance-diagnosis', 'Since almost every transaction is legitimate, a model that never flags anything would look just as good.'],
  ['fraud-accuracy-paradox', 'fraud-metrics', "I'd count how much of the real fraud we actually catch and how many of our alerts turn out to be genuine."],
  ['fraud-accuracy-paradox', 'data-investigation', 'Maybe the fraud examples we trained on are old and the fraudsters have changed their tricks since then.'],
  ['fraud-accuracy-paradox', 'remediation', "I'd give the rare fraud cases more weight during training and pick the alert cut point based on what the review team can handle."],
  ['build-vs-buy', 'framework', "I'd list what matters to us, give each consideration a weight and rate the vendor and our in-house option against them."],
  ['build-vs-buy', 'capacity-time', 'Our two engineers are already stretched, and building it ourselves would take most of a year.'],
  ['build-vs-buy', 'total-cost', "Over three years the vendor's fees grow with usage, while building means paying engineers and servers forever."],
  ['build-vs-buy', 'strategic-risk', "If this isn't what sets us apart from competitors, I'd rather not own it, but our data must stay ours if we leave the vendor."],
  ['build-vs-buy', 'validation', "I'd run the vendor on a few hundred of our own invoices for a month before deciding."],
  ['churn-concept-drift', 'identify', 'The new plans changed why customers leave, so the same usage pattern now means something else.'],
  ['churn-concept-drift', 'evidence', "I'd compare how often customers on the old and the new plans cancel, in the months around the launch."],
  ['churn-concept-drift', 'adapt', "I'd refit the model on the months since launch and give newer customers more weight."],
  ['churn-concept-drift', 'monitor', "I'd watch how well predictions hold up against actual cancellations every week, and get paged when it slips."],
  ['explain-to-nontechnical', 'audience', 'The people in the room ran the claims department and had to decide whether to staff up.'],
  ['explain-to-nontechnical', 'translation', 'I compared the model to a smoke alarm that sometimes goes off when you cook.'],
  ['explain-to-nontechnical', 'impact', 'I told them each missed case cost us about two thousand dollars.'],
  ['explain-to-nontechnical', 'path-forward', 'We left the meeting agreeing to pilot it in one region, and I asked them to explain it back to me.'],
];
const paraMissed = PARAPHRASES.filter(([qid, cid, quote]) => {
  const target = targetFor(catalog.questions.get(qid)!, catalog);
  return !judgeQuote(target, target.criteria, target.criteria.find((c) => c.id === cid)!, quote).relevant;
}).map(([qid, cid]) => `${qid}/${cid}`);

const fillerScores: number[] = [];
for (const q of questions) {
  const target = targetFor(q, catalog);
  const g = await gradeWith(quoting(FILLER), target, `${q.modelAnswer} ${FILLER}`);
  fillerScores.push(g.score);
}

// A strong fraud answer in the candidate's own words (few rubric terms): the honest LLM grade
// should stay high where the offline grader, which needs the terms, scores it low.
const OWN_WORDS =
  'Since almost every transaction is legitimate, a model that never flags anything would look just as good, so the 99% says nothing. ' +
  "I'd count how much of the real fraud we actually catch and how many of our alerts turn out to be genuine. " +
  "I'd also check whether the fraud labels arrive weeks late and whether any input leaks the outcome. " +
  "Then I'd give the rare fraud cases more weight during training and pick the alert cut point based on what the review team can handle.";
const fraudTarget = targetFor(catalog.questions.get('fraud-accuracy-paradox')!, catalog);
const ownWords = { grounded: (await gradeWith(honest, fraudTarget, OWN_WORDS)).score, lexical: (await lexical.grade({ target: fraudTarget, answer: OWN_WORDS })).score };

const grounded = honestRows.map((r) => r.grounded);
const share = (xs: number[], f: (x: number) => boolean) => Number((xs.filter(f).length / xs.length).toFixed(3));
const summary = {
  questions: questions.length,
  honest: { min: Math.min(...grounded), median: median(grounded), below80: honestRows.filter((r) => r.grounded < 80).map((r) => r.id) },
  honestVsLexical: { llmAboveLexical: honestRows.filter((r) => r.grounded > r.lexical).length, lexicalMedian: median(honestRows.map((r) => r.lexical)), ownWords },
  foreignSentences: {
    topicPairs: pairs,
    rejectedShare: Number((1 - accepted / pairs).toFixed(3)),
    paddedGrade: { n: padded.length, median: Number(median(padded).toFixed(1)), zero: share(padded, (x) => x === 0), atLeast50: share(padded, (x) => x >= 50) },
    hardestPerPair: { n: hardestScores.length, median: median(hardestScores), max: Math.max(...hardestScores) },
  },
  filler: { max: Math.max(...fillerScores) },
  paraphrases: { n: PARAPHRASES.length, accepted: PARAPHRASES.length - paraMissed.length, missed: paraMissed },
};
if (json) console.log(JSON.stringify({ summary, honestRows, worst: worst.slice(0, 15) }, null, 2));
else {
  console.log(summary);
  for (const r of honestRows) console.log(`${r.id.padEnd(28)} grounded ${String(r.grounded).padStart(5)}  lexical ${String(r.lexical).padStart(5)}  ${r.zeroed.length ? `zeroed: ${r.zeroed.join(', ')}` : ''}`);
  console.log('\nHardest foreign sentences (grade of the padded answer when the model quotes it everywhere):');
  for (const w of worst.slice(0, 10)) console.log(`${String(w.score).padStart(5)}  ${w.q} <- ${w.from}: ${w.quote.slice(0, 110)}`);
}
