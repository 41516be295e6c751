import type { Criterion, Question } from '../../content/schema.js';
import type { Grade } from './grading.js';

export type ProbeRequest = { question: Question; criterion: Criterion; grade: Grade; answer: string };
export type HintRequest = { question: Question; index: number; criterion?: Criterion };

/** Writes follow-up probes and hints. The LLM interviewer falls back to this authored one. */
export interface Interviewer {
  probe(req: ProbeRequest): Promise<string>;
  /** The `index`-th hint, or undefined when there are no more. */
  hint(req: HintRequest): Promise<string | undefined>;
}

export function authoredProbe({ question, criterion }: Pick<ProbeRequest, 'question' | 'criterion'>): string {
  const authored = question.probes.find((p) => p.gap === criterion.id);
  return authored?.text ?? `Tell me more about ${criterion.name.toLowerCase()}: ${criterion.description}`;
}

export function authoredHint({ question, index, criterion }: HintRequest): string | undefined {
  // A follow-up's hint points at what its criterion looks for; a question's hints are authored.
  if (criterion) return index === 0 ? `A strong answer here: ${criterion.anchors['4']}` : undefined;
  return question.hints[index];
}

export function createAuthoredInterviewer(): Interviewer {
  return {
    probe: async (req) => authoredProbe(req),
    hint: async (req) => authoredHint(req),
  };
}
