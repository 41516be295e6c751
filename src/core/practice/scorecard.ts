import type { Criterion } from '../../content/schema.js';
import { STAR_PARTS, type Grade, type GradeFlag } from '../kernel/grading.js';
import type { ReplySection } from '../kernel/types.js';

const FLAG_NOTES: Record<GradeFlag, string> = {
  too_short: 'Your answer is very short, so there was little to credit. Aim for a few specific sentences.',
  off_topic: 'Your answer does not seem to address this question.',
  not_an_answer: 'This reads as a list of terms or scrambled words, not an answer: say what you would do and why, in sentences.',
  injection_suspected: 'Parts of your answer read as instructions to the grader; they were ignored and cannot raise your score.',
  llm_unavailable: 'The AI grader could not be reached.',
  fallback_used: 'The AI grader was unavailable, so this grade comes from the offline grader. It is stricter about wording.',
};

/** Quotes longer than this are cut at a word boundary so a scorecard stays readable. */
const QUOTE_MAX = 220;

export function shortQuote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= QUOTE_MAX) return flat;
  const cut = flat.slice(0, QUOTE_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), QUOTE_MAX - 40))}…`;
}

export const scoreBar = (score: number, max: number): string => `${'●'.repeat(score)}${'○'.repeat(max - score)}`;

export function flagNotes(grade: Grade): string[] {
  return grade.flags
    .filter((f) => f !== 'llm_unavailable' || !grade.flags.includes('fallback_used'))
    .map((f) => (f === 'fallback_used' && grade.meta?.fallbackReason ? `${FLAG_NOTES[f]} (Why: ${grade.meta.fallbackReason}.)` : FLAG_NOTES[f]));
}

/** The scorecard sections: per criterion with evidence, STAR, strengths, gaps, notices. */
export function scorecardSections(grade: Grade, criteria: Criterion[]): ReplySection[] {
  const names = new Map(criteria.map((c) => [c.id, c.name]));
  const sections: ReplySection[] = [];
  const notes = flagNotes(grade);
  if (notes.length > 0) sections.push({ title: 'Note', body: notes.join('\n') });

  for (const c of grade.criteria) {
    const quotes = c.evidence.slice(0, 2).map((e) => `> “${shortQuote(e)}”`);
    sections.push({
      title: `${names.get(c.id) ?? c.id}: ${c.score}/4 ${scoreBar(c.score, 4)}`,
      body: [c.rationale, ...quotes].filter(Boolean).join('\n'),
    });
  }
  if (grade.star) {
    const star = grade.star;
    sections.push({
      title: 'STAR',
      fields: STAR_PARTS.map((part) => {
        const p = star[part];
        const label = part[0]!.toUpperCase() + part.slice(1);
        return [label, p.present ? `✓ ${p.evidence ? `“${shortQuote(p.evidence)}”` : 'present'}` : '✗ missing'] as [string, string];
      }),
    });
  }
  if (grade.strengths.length > 0) sections.push({ title: 'Strengths', body: grade.strengths.map((s) => `• ${s}`).join('\n') });
  if (grade.gaps.length > 0) sections.push({ title: 'Gaps', body: grade.gaps.map((g) => `• ${g}`).join('\n') });
  return sections;
}

/** The weakest criterion: lowest score, then the heaviest weight, then rubric order. */
export function weakestCriterion(grade: Grade, criteria: Criterion[]): Criterion | undefined {
  const weight = new Map(criteria.map((c) => [c.id, c.weight]));
  const ranked = grade.criteria
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => weight.has(g.id))
    .sort((a, b) => a.g.score - b.g.score || (weight.get(b.g.id) ?? 0) - (weight.get(a.g.id) ?? 0) || a.i - b.i);
  const id = ranked[0]?.g.id;
  return criteria.find((c) => c.id === id);
}
