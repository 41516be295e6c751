import { describe, expect, it } from 'vitest';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { createQuoteCheck, gradeWithFallback, keepVerbatimEvidence, type GuardedRequest } from '../../src/grading/pipeline.js';
import { targetFor } from '../../src/core/practice/target.js';
import type { Grade } from '../../src/core/kernel/grading.js';
import { catalog } from '../support/harness.js';

/** The steps every grade goes through, whichever grader makes it (src/grading/pipeline.ts). */

const answer = 'I would compare recall with a baseline. Then I would set the threshold from the cost of a miss.';
const grade = (evidence: string[], star?: Grade['star']): Grade => ({
  score: 50,
  criteria: [{ id: 'c', score: 2, evidence, rationale: 'r' }],
  ...(star ? { star } : {}),
  strengths: [],
  gaps: [],
  flags: [],
  grader: { kind: 'llm', rubricVersion: 'r@1' },
});
const fraud = () => targetFor(catalog().questions.get('fraud-accuracy-paradox')!, catalog());

describe('the evidence rule', () => {
  it('keeps a verbatim quote (trimmed), ignores a blank one and counts the rest', () => {
    const check = createQuoteCheck(answer);
    expect(check.keep('  compare recall with a baseline ')).toBe('compare recall with a baseline');
    expect(check.keep('   ')).toBeUndefined();
    expect(check.keep('compare RECALL with a baseline')).toBeUndefined();
    expect(check.keep('I never said this')).toBeUndefined();
    expect(check.dropped).toBe(2);
  });

  it("finds a quote the model copied with straight quotes or one space for a line break, and keeps the answer's own text", () => {
    const typed = 'I’d compare recall with a baseline —\nthen set the threshold from the cost of a miss.';
    const check = createQuoteCheck(typed);
    const kept = check.keep("I'd compare recall with a baseline - then set the threshold");
    expect(kept).toBe('I’d compare recall with a baseline —\nthen set the threshold');
    expect(typed).toContain(kept);
    expect(check.keep("I'd compare precision with a baseline")).toBeUndefined();
    expect(check.dropped).toBe(1);
  });

  it('passes a grade whose quotes all stand as it is, and drops and counts the others', () => {
    const clean = grade(['I would compare recall with a baseline.']);
    expect(keepVerbatimEvidence(clean, answer)).toBe(clean);
    const star = { situation: { present: true, evidence: 'made up' }, task: { present: false }, action: { present: true, evidence: 'set the threshold' }, result: { present: false } };
    const kept = keepVerbatimEvidence({ ...grade(['set the threshold', 'made up too']), meta: { droppedQuotes: 1 } }, answer);
    expect(kept.criteria[0]!.evidence).toEqual(['set the threshold']);
    expect(kept.meta?.droppedQuotes).toBe(2);
    const withStar = keepVerbatimEvidence(grade([], star), answer);
    expect(withStar.star?.situation).toEqual({ present: true });
    expect(withStar.star?.action.evidence).toBe('set the threshold');
  });
});

describe('the pipeline', () => {
  it('grades the sanitized answer, the text that is stored', async () => {
    const raw = 'Accuracy misleads when fraud is rare.\r\nI would look at precision and recall for the fraud class.\u0007\u200B';
    const seen: string[] = [];
    await gradeWithFallback({ target: fraud(), answer: raw }, async (req, fallback) => {
      seen.push(req.answer);
      return { ok: true, grade: fallback };
    }, createLexicalGrader());
    expect(seen).toEqual(['Accuracy misleads when fraud is rare.\nI would look at precision and recall for the fraud class.']);
  });

  it('hands the grader the guard verdict and the fallback grade, and falls back when it fails', async () => {
    const lexical = createLexicalGrader();
    const target = fraud();
    const seen: GuardedRequest[] = [];
    const failed = await gradeWithFallback({ target, answer }, async (req) => {
      seen.push(req);
      return { ok: false, reason: 'the model server failed (500)', tokens: { input: 3, output: 0 } };
    }, lexical);
    expect(seen[0]!.guard.flags).toEqual([]);
    expect(failed.grader.kind).toBe('lexical');
    expect(failed.flags).toEqual(expect.arrayContaining(['fallback_used', 'llm_unavailable']));
    expect(failed.meta).toMatchObject({ fallbackReason: 'the model server failed (500)', tokens: { input: 3, output: 0 } });

    const invented = await gradeWithFallback({ target, answer }, async (_req, fallback) => ({ ok: true, grade: { ...fallback, criteria: [{ id: 'x', score: 4, evidence: ['never said'], rationale: '' }] } }), lexical);
    expect(invented.criteria[0]!.evidence).toEqual([]);
    expect(invented.meta?.droppedQuotes).toBe(1);
  });
});
