import { describe, expect, it } from 'vitest';
import { derivedMatch, findAny, indexAnswer } from '../../src/grading/lexical/match.js';
import { prepare } from '../../src/grading/lexical/prepared-text.js';
import { FEATURE_NAMES } from '../../src/grading/lexical/reference-features.js';
import { allReferenceFeatures } from '../../src/grading/lexical/reference-match.js';
import { stem, stemSimilarity } from '../../src/grading/lexical/text.js';

describe('word vectors', () => {
  it('are loaded, symmetric and bounded', () => {
    const a = stem('bulb'), b = stem('lamp');
    expect(stemSimilarity(a, b)).toBeGreaterThan(0.4);
    expect(stemSimilarity(a, b)).toBeCloseTo(stemSimilarity(b, a), 10);
    expect(stemSimilarity(a, a)).toBe(1);
    expect(stemSimilarity(a, 'zzzqqq')).toBe(0);
    expect(Math.abs(stemSimilarity(stem('bulb'), stem('tuesday')))).toBeLessThan(0.4);
  });

  it('soft alignment credits a paraphrase more than an unrelated answer', () => {
    const ref = prepare('The bulb lights because the circuit is closed');
    const q = new Set<string>();
    const i = FEATURE_NAMES.indexOf('soft_recall_novel');
    const para = allReferenceFeatures(prepare('the lamp lit since the circuit was shut'), [ref], q, undefined)[0]!.features;
    const other = allReferenceFeatures(prepare('my dog likes long walks in the park'), [ref], q, undefined)[0]!.features;
    expect(para[i]!).toBeGreaterThan(other[i]!);
    expect(para.length).toBe(FEATURE_NAMES.length);
  });

  it('order, negation flips and the best soft recall over references are features', () => {
    const refs = [prepare('The switch closes the circuit'), prepare('Current flows through the bulb')];
    const q = new Set<string>();
    const f = (answer: string) => allReferenceFeatures(prepare(answer), refs, q, undefined);
    const col = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);
    const same = f('the switch closes the circuit')[0]!.features;
    const negated = f('the switch does not close the circuit')[0]!.features;
    expect(same[col('lcs_novel')]).toBe(1);
    expect(same[col('soft_bigram_recall')]).toBe(1);
    expect(same[col('neg_soft_mismatch')]).toBe(0);
    expect(negated[col('neg_soft_mismatch')]!).toBeGreaterThan(0);
    const both = f('current flows through the bulb');
    expect(both[0]!.features[col('best_soft_recall_any')]).toBe(both[1]!.features[col('best_soft_recall_any')]);
    expect(both[0]!.features[col('best_soft_recall_any')]).toBeCloseTo(1, 5);
  });
});

describe('rubric term matching', () => {
  const find = (answer: string, terms: string[]) => {
    const p = prepare(answer);
    return findAny(indexAnswer(p, answer), terms);
  };
  it('accepts derived forms whose vectors agree, with a verbatim span', () => {
    const answer = 'Most of these fraudulent payments were missed.';
    const hit = find(answer, ['fraud'])!;
    expect(hit).toBeDefined();
    expect(answer.slice(hit.start, hit.end)).toBe('fraudulent');
    expect(derivedMatch(stem('accuracy'), stem('accurate'))).toBe(true);
  });
  it('reads comparison and direction words in a term as glue, unless the term is made of them', () => {
    expect(find('We alert when PSI drifts past 0.2.', ['alert on psi'])).toBeDefined();
    expect(find('I turned the pager on.', ['from then on'])).toBeUndefined();
    expect(find('And from then on we paged twice.', ['from then on'])).toBeDefined();
    expect(find('I applied SMOTE before splitting the data.', ['after splitting'])).toBeUndefined();
    expect(find('I applied SMOTE after splitting the data.', ['after splitting'])).toBeDefined();
    expect(find('We turned the model off at noon.', ['turn the model off'])).toBeDefined();
    expect(find('We turned the model on at noon.', ['turn the model off'])).toBeUndefined();
  });
  it('does not give credit for look-alikes, antonyms or loose neighbours', () => {
    expect(derivedMatch(stem('part'), stem('party'))).toBe(false);
    // Two real words one letter apart are not a typo: "recall" is not "rebalance".
    expect(find('Recall recovered from 60% to 85%.', ['rebalance'])).toBeUndefined();
    expect(find('The acuracy was high.', ['accuracy'])).toBeDefined();
    expect(find('Sales will decrease next year.', ['increase'])).toBeUndefined();
    expect(find('The accuracy was 99%.', ['precision'])).toBeUndefined();
    expect(find('We watched the dashboards.', ['monitor'])).toBeUndefined();
  });
});
