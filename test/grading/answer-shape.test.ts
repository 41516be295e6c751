import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/content/load.js';
import { STAR_RUBRIC_ID } from '../../src/content/schema.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { targetFromReferences } from '../../src/grading/reference-target.js';
import { statementSpans } from '../../src/grading/lexical/statements.js';
import { targetFor } from '../../src/core/practice/target.js';
import { shuffleWords as shuffle, wordOrder } from '../../src/grading/lexical/word-order.js';

const catalog = loadCatalog();
const grader = createLexicalGrader();
const questions = [...catalog.questions.values()];

/** The first term of every signal the question is graded on: what a keyword-stuffer would paste. */
function rubricTerms(q: (typeof questions)[number]): string[] {
  const rubrics = [catalog.rubrics.get(q.rubric)!, ...(q.kind === 'behavioral' ? [catalog.rubrics.get(STAR_RUBRIC_ID)!] : [])];
  return rubrics.flatMap((r) => r.criteria.flatMap((c) => c.signals.flatMap((s) => s.terms)));
}

const grade = (q: (typeof questions)[number], answer: string) => grader.gradeSync({ target: targetFor(q, catalog), answer });

describe('answers, not term lists or word salad', () => {
  it.each(questions.map((q) => [q.id, q] as const))('%s: a pasted list of its rubric terms earns at most 30 and says why', (_, q) => {
    const terms = rubricTerms(q);
    for (const list of [terms.join(', '), terms.join('\n'), terms.map((t) => `- ${t}`).join('\n'), terms.join(' '), `${terms.join('; ')}.`]) {
      const g = grade(q, list);
      expect(g.score, list.slice(0, 60)).toBeLessThanOrEqual(30);
      expect(g.flags).toContain('not_an_answer');
      expect(g.gaps[0]).toMatch(/list of terms|sentences/);
    }
  });

  it.each(questions.map((q) => [q.id, q] as const))('%s: its model answer shuffled into word salad earns at most 40, the answer itself at least 70', (_, q) => {
    expect(grade(q, q.modelAnswer).score).toBeGreaterThanOrEqual(70);
    for (const seed of [1, 2, 3]) {
      const g = grade(q, shuffle(q.modelAnswer, seed));
      expect(g.score).toBeLessThanOrEqual(40);
      expect(g.flags).toContain('not_an_answer');
    }
  });

  it('grades answers written from the prompts alone (not from the rubrics): strong beats weak by 20 or more on every question', () => {
    const fixture = parseYaml(readFileSync(new URL('../fixtures/candidate-answers.yaml', import.meta.url), 'utf8')) as {
      answers: { question: string; strong_prose: string; strong_bullets: string; medium: string; weak: string }[];
    };
    expect(fixture.answers).toHaveLength(questions.length);
    const strong: number[] = [];
    for (const a of fixture.answers) {
      const q = catalog.questions.get(a.question)!;
      const [prose, bullets, medium, weak] = [a.strong_prose, a.strong_bullets, a.medium, a.weak].map((t) => grade(q, t));
      for (const g of [prose!, bullets!, medium!, weak!]) expect(g.flags, a.question).not.toContain('not_an_answer');
      expect(Math.min(prose!.score, bullets!.score) - weak!.score, a.question).toBeGreaterThanOrEqual(20);
      strong.push(prose!.score, bullets!.score);
    }
    expect(strong.reduce((s, v) => s + v, 0) / strong.length).toBeGreaterThanOrEqual(70);
  });

  it('credits rubric terms only where the answer states something with them', () => {
    const q = catalog.questions.get('fraud-accuracy-paradox')!;
    const stated = grade(q, 'Fraud is rare, so a model that never predicts fraud still scores 99% accuracy. I would compare precision and recall on the fraud class against that baseline.');
    const listed = grade(q, 'Fraud is a hard problem. Rare class, precision, recall, baseline, fraud class, PR curve, threshold, cost of errors.');
    expect(stated.score - listed.score).toBeGreaterThanOrEqual(30);
  });

  it('tells statements from lists of terms by their verbs', () => {
    const statements = (t: string) => statementSpans(t).filter((s) => s.statement).map((s) => t.slice(s.start, s.end));
    expect(statements('class imbalance, precision, recall, PR curve, baseline')).toEqual([]);
    expect(statements('Precision fell. Data drift, concept drift.')).toEqual(['Precision fell.']);
    expect(statements('I would compare recall against a majority-class baseline.')).toHaveLength(1);
    expect(statements('Monitor the PSI of every input weekly.')).toHaveLength(1);
    expect(statements('The test set stays untouched until the end.')).toHaveLength(1);
  });

  it('reads real sentences as English word order and their shuffles as salad', () => {
    for (const q of questions.slice(0, 5)) {
      expect(wordOrder(q.modelAnswer).salad).toBe(false);
      expect(wordOrder(shuffle(q.modelAnswer, 7)).salad).toBe(true);
    }
  });

  it('does not read code blocks or tables beside real sentences as word salad', () => {
    const q = catalog.questions.get('fraud-accuracy-paradox')!;
    const prose = 'Accuracy is misleading here because fraud is rare, so I would look at precision and recall on the fraud class and compare against a baseline.';
    const plain = grade(q, prose);
    for (const answer of [
      `${prose}\n\n\`\`\`python\nfrom sklearn.metrics import precision_recall_curve\np, r, t = precision_recall_curve(y_true, scores)\n\`\`\``,
      `| metric | value |\n|---|---|\n| accuracy | 99.5% |\n| recall (fraud) | 12% |\n\n${prose}`,
    ]) {
      const g = grade(q, answer);
      expect(g.flags).not.toContain('not_an_answer');
      expect(g.score).toBeGreaterThanOrEqual(plain.score);
    }
  });

  it('flags an answer that only copies the question back', () => {
    const q = catalog.questions.get('fraud-accuracy-paradox')!;
    const g = grade(q, q.prompt);
    expect(g.flags).toContain('not_an_answer');
    expect(g.score).toBeLessThanOrEqual(20);
  });
});

describe('partial credit against reference answers', () => {
  const t = (question: string, ...refs: string[]) => targetFromReferences(question, refs);

  it('does not cap a terse answer that matches the reference', () => {
    const target = t('Which function must every C++ program have?', 'int main()');
    const g = grader.gradeSync({ target, answer: 'main()' });
    expect(g.flags).toContain('too_short');
    expect(g.score).toBeGreaterThan(20);
    expect(g.score).toBeGreaterThan(grader.gradeSync({ target, answer: 'a header file' }).score + 20);
  });

  it('gives an empty or mashed answer only its own small probability, not a typical answer\'s credit', () => {
    const target = t('Where does a program start executing?', 'The program starts executing in main.');
    for (const answer of ['', 'xxxxxxxxxxxxxxxxxxxxxxxx']) expect(grader.gradeSync({ target, answer }).score, JSON.stringify(answer)).toBeLessThan(15);
    expect(grader.gradeSync({ target, answer: 'by refrence to main' }).score).toBeGreaterThan(15);
  });

  it.each([
    ['Why does bulb A light?', 'Bulb A is in a closed path with the battery.', 'Bulb A is not in a closed path with the battery.'],
    ['Why does bulb A light?', 'Bulb A is in a closed path with the battery.', 'Bulb A is in an open path with the battery.'],
    ['What happens to the temperature?', 'The temperature increases when more heat is added.', 'The temperature decreases when more heat is added.'],
    ['When do you fit the scaler?', 'Split the data before you fit the scaler, then fit the scaler on the training set only.', 'Fit the scaler on the whole data set first, then split the data into training and test sets.'],
    ['When do you fit the scaler?', 'Split the data before you fit the scaler, then fit the scaler on the training set only.', 'Split the data after you fit the scaler, then fit the scaler on the training set only.'],
  ])('costs credit to contradict the reference: %s', (question, ref, contradicting) => {
    const target = t(question, ref);
    const faithful = grader.gradeSync({ target, answer: ref });
    const contra = grader.gradeSync({ target, answer: contradicting });
    expect(faithful.score - contra.score, contradicting).toBeGreaterThanOrEqual(25);
    expect(contra.gaps.join(' ')).toMatch(/negates|opposite|reverse order/);
    expect(contra.meta?.correctProbability ?? 1).toBeLessThan(faithful.meta!.correctProbability!);
  });
});
