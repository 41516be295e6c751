import { STAR_RUBRIC_ID, type Question } from '../../content/schema.js';
import type { Catalog } from '../../content/load.js';
import { STAR_PARTS, type GradingTarget, type StarPart } from '../kernel/grading.js';

/**
 * One target per question and rubric set: graders keep what a target's references yield
 * (prepared text, word-vector rows) keyed by the target, so a new object per answer would
 * redo that work and churn memory on every grade.
 */
const resolved = new WeakMap<Question, { rubrics: Catalog['rubrics']; target: GradingTarget }>();

/**
 * Resolves what a question is graded on. Behavioral questions carry the STAR criteria
 * beside their answer-strategy rubric; the STAR rubric's criterion ids are the STAR parts.
 */
export function targetFor(question: Question, catalog: Pick<Catalog, 'rubrics'>): GradingTarget {
  const hit = resolved.get(question);
  if (hit && hit.rubrics === catalog.rubrics) return hit.target;
  const target = buildTarget(question, catalog);
  resolved.set(question, { rubrics: catalog.rubrics, target });
  return target;
}

function buildTarget(question: Question, catalog: Pick<Catalog, 'rubrics'>): GradingTarget {
  const rubric = catalog.rubrics.get(question.rubric);
  if (!rubric) throw new Error(`question ${question.id}: unknown rubric ${question.rubric}`);
  const star = question.kind === 'behavioral' ? catalog.rubrics.get(STAR_RUBRIC_ID) : undefined;
  const starCriteria: Partial<Record<StarPart, string>> = {};
  for (const c of star?.criteria ?? []) {
    if ((STAR_PARTS as readonly string[]).includes(c.id)) starCriteria[c.id as StarPart] = c.id;
  }
  return {
    question,
    rubricId: rubric.id,
    rubricVersion: star ? `${rubric.id}@${rubric.version}+${star.id}@${star.version}` : `${rubric.id}@${rubric.version}`,
    criteria: [...(star?.criteria ?? []), ...rubric.criteria],
    redFlags: [...(star?.redFlags ?? []), ...rubric.redFlags],
    starCriteria: star ? starCriteria : undefined,
    references: [question.modelAnswer],
  };
}
