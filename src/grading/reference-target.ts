import type { GradingTarget } from '../core/kernel/grading.js';

/**
 * Builds a GradingTarget for a question that is not in our content: no rubric criteria,
 * graded by similarity to the reference answers (best first; the best-matching one counts).
 */
export function targetFromReferences(question: string, references: string[], id = 'external'): GradingTarget {
  const refs = references.map((r) => r.trim()).filter((r) => r.length > 0);
  if (refs.length === 0) throw new Error('targetFromReferences: at least one non-empty reference is needed');
  return {
    question: { id, prompt: question, kind: 'technical', modelAnswer: refs[0]! },
    rubricId: 'reference',
    rubricVersion: 'reference@1',
    criteria: [],
    redFlags: [],
    references: refs,
  };
}
