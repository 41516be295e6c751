/** Rough speed check of the lexical grader on the rubric path: npx tsx scripts/bench-lexical.ts */
import { createLexicalGrader } from '../src/grading/lexical/grader.js';
import type { GradingTarget } from '../src/core/kernel/grading.js';

const anchors = { '0': 'none', '2': 'some', '4': 'all' };
const target: GradingTarget = {
  question: { id: 'q', prompt: 'Your fraud model reports 99% accuracy. How would you evaluate it?', kind: 'technical', modelAnswer: 'Fraud is rare so accuracy misleads; use precision, recall, PR curves and a cost-based threshold.' },
  rubricId: 'r',
  rubricVersion: 'r@1',
  criteria: Array.from({ length: 5 }, (_, i) => ({
    id: `c${i}`, name: `Criterion ${i}`, weight: 1 + i, description: 'd', anchors,
    signals: [
      { id: 's1', label: 'imbalance', terms: ['class imbalance', 'rare', 'imbalanced'] },
      { id: 's2', label: 'pr', terms: ['precision', 'recall', 'f1 score'] },
      { id: 's3', label: 'threshold', terms: ['decision threshold', 'cut-off', 'cost of false positives'] },
      { id: 's4', label: 'monitoring', terms: ['monitor', 'drift', 'alerting on shift'] },
    ],
  })),
  redFlags: [{ id: 'acc', description: 'accuracy alone', whenAny: ['accuracy'], unlessAny: ['precision', 'recall'] }],
};
const answer = ('Fraud is rare, so accuracy is misleading with class imbalance. I would look at precision and recall, pick a decision threshold from the cost of false positives, and monitor drift after launch. ').repeat(4);
const g = createLexicalGrader();
const n = 3000;
const t0 = performance.now();
for (let i = 0; i < n; i++) g.gradeSync({ target, answer: answer + i });
console.log(`rubric path: ${(n / ((performance.now() - t0) / 1000)).toFixed(0)} answers/s`);
