/**
 * Trains the word-order model of src/grading/lexical/word-order.ts: class-bigram counts from real
 * answers and reference texts, and the threshold below which a text reads as word salad.
 *
 *   npx tsx scripts/train-word-order.ts --data a.csv,b.csv [--min-pairs 12] [--no-write]
 *
 * The corpus is every answer and reference of the given data sets plus the shipped content's
 * model answers. Validation: the model learns from half of the questions and is measured on
 * the other half, real answers against the same answers with their words shuffled.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/content/load.js';
import { readDataset } from '../src/eval/dataset.js';
import { shuffleWords as shuffle, wordClasses, wordOrder, type WordOrderModel } from '../src/grading/lexical/word-order.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '' },
    'min-pairs': { type: 'string', default: '12' },
    /** Largest share of real answers (of at least min-pairs) that may read as salad. */
    'max-false': { type: 'string', default: '0.003' },
    'no-write': { type: 'boolean', default: false },
  },
});

type Doc = { group: string; text: string };
const docs: Doc[] = [];
for (const file of values.data!.split(',').filter(Boolean)) {
  for (const r of readDataset(file).rows) {
    docs.push({ group: r.question, text: r.answer });
    for (const ref of r.references) docs.push({ group: r.question, text: ref });
  }
}
for (const q of loadCatalog().questions.values()) docs.push({ group: q.id, text: q.modelAnswer });
const unique = [...new Map(docs.map((d) => [d.text, d])).values()];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function train(texts: string[]): WordOrderModel {
  const classCount = new Map<string, number>();
  const seqs = texts.map(wordClasses);
  for (const s of seqs) for (const c of s) classCount.set(c, (classCount.get(c) ?? 0) + 1);
  // Rare classes (a function word seen a handful of times) are folded into "W".
  const classes = ['W', ...[...classCount].filter(([c, n]) => n >= 20 && c !== 'W').map(([c]) => c)];
  const index = new Map(classes.map((c, i) => [c, i]));
  const id = (c: string) => index.get(c) ?? 0;
  const uni = new Array<number>(classes.length).fill(0);
  const count = new Array<number>(classes.length).fill(0);
  const pairCount = new Map<string, number>();
  for (const s of seqs) {
    const ids = s.map(id);
    ids.forEach((c) => uni[c]!++);
    for (let i = 1; i < ids.length; i++) {
      count[ids[i - 1]!]!++;
      const k = `${ids[i - 1]} ${ids[i]}`;
      pairCount.set(k, (pairCount.get(k) ?? 0) + 1);
    }
  }
  const total = uni.reduce((a, b) => a + b, 0);
  const followers = new Array<number>(classes.length).fill(0);
  for (const k of pairCount.keys()) followers[Number(k.split(' ')[0])]!++;
  const pairs: Record<string, number> = {};
  for (const [k, n] of pairCount) if (n >= 2) pairs[k] = n;
  return {
    classes,
    count,
    followers,
    prob: uni.map((n) => (n + 1) / (total + classes.length)),
    pairs,
    saladZ: 0,
    minPairs: Number(values['min-pairs']),
    longPairs: 40,
    longBelow: 0,
  };
}

/** The z threshold at the allowed share of real answers, and half the lowest mean of a long real answer. */
function chooseThresholds(m: WordOrderModel, real: string[]): void {
  const xs = real.map((t) => wordOrder(t, m)).filter((x) => x.pairs >= m.minPairs);
  const z = xs.map((x) => x.llr * Math.sqrt(x.pairs)).sort((a, b) => a - b);
  m.saladZ = z[Math.floor(z.length * Number(values['max-false']))] ?? 0;
  m.longBelow = Math.min(...xs.filter((x) => x.pairs >= m.longPairs).map((x) => x.llr)) / 2;
}

function measure(name: string, m: WordOrderModel, real: string[]) {
  const r = real.map((t) => wordOrder(t, m)).filter((x) => x.pairs >= m.minPairs);
  const sh = real.map((t, i) => wordOrder(shuffle(t, i + 1), m)).filter((x) => x.pairs >= m.minPairs);
  const rate = (xs: { salad: boolean }[]) => (xs.filter((x) => x.salad).length / Math.max(1, xs.length)).toFixed(3);
  const mean = (xs: { llr: number }[]) => (xs.reduce((a, x) => a + x.llr, 0) / Math.max(1, xs.length)).toFixed(3);
  console.log(`${name}: z below ${m.saladZ.toFixed(2)} or mean below ${m.longBelow.toFixed(3)} from ${m.longPairs} pairs; real n=${r.length} mean llr ${mean(r)} flagged ${rate(r)}; shuffled n=${sh.length} mean llr ${mean(sh)} flagged ${rate(sh)}`);
}

const half = (d: Doc) => hash(d.group) % 2;
for (const k of [0, 1]) {
  const m = train(unique.filter((d) => half(d) !== k).map((d) => d.text));
  chooseThresholds(m, unique.filter((d) => half(d) !== k).map((d) => d.text));
  measure(`held-out half ${k}`, m, unique.filter((d) => half(d) === k).map((d) => d.text));
}
const model = train(unique.map((d) => d.text));
chooseThresholds(model, unique.map((d) => d.text));
measure('all (in sample)', model, unique.map((d) => d.text));
if (!values['no-write']) {
  writeFileSync(new URL('../src/grading/lexical/model/word-order.json', import.meta.url), JSON.stringify({ ...model, saladZ: Math.round(model.saladZ * 1e4) / 1e4, longBelow: Math.round(model.longBelow * 1e4) / 1e4, prob: model.prob.map((p) => Number(p.toPrecision(6))) }) + '\n');
  console.log(`wrote src/grading/lexical/model/word-order.json (${model.classes.length} classes, ${Object.keys(model.pairs).length} pairs)`);
}
