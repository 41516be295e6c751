import { z } from 'zod';
import type { Criterion, Question, RedFlag } from '../content/schema.js';

export const GradeFlagSchema = z.enum([
  'too_short',
  'off_topic',
  /** A list of terms, word salad or a copy of the question: no statement to credit. */
  'not_an_answer',
  'injection_suspected',
  'llm_unavailable',
  'fallback_used',
]);

export const StarPartSchema = z.enum(['situation', 'task', 'action', 'result']);
export const STAR_PARTS = StarPartSchema.options;

export const CriterionGradeSchema = z.object({
  id: z.string(),
  score: z.number().int().min(0).max(4),
  /** Verbatim substrings of the answer; anything else is dropped before a grade is stored. */
  evidence: z.array(z.string()),
  rationale: z.string(),
});

export const StarComponentSchema = z.object({
  present: z.boolean(),
  evidence: z.string().optional(),
});

export const GradeSchema = z.object({
  score: z.number().min(0).max(100),
  criteria: z.array(CriterionGradeSchema),
  star: z
    .object({
      situation: StarComponentSchema,
      task: StarComponentSchema,
      action: StarComponentSchema,
      result: StarComponentSchema,
    })
    .optional(),
  strengths: z.array(z.string()),
  gaps: z.array(z.string()),
  flags: z.array(GradeFlagSchema),
  grader: z.object({
    kind: z.enum(['lexical', 'llm']),
    model: z.string().optional(),
    rubricVersion: z.string(),
    promptVersion: z.string().optional(),
  }),
  meta: z
    .object({
      droppedQuotes: z.number().int().min(0).optional(),
      redFlags: z.array(z.string()).optional(),
      tokens: z.object({ input: z.number(), output: z.number() }).optional(),
      fallbackReason: z.string().optional(),
      /**
       * Graded against reference answers: how likely the answer is fully correct (0..1), the
       * verdict a correct/incorrect label asks for; `score` is the partial credit.
       */
      correctProbability: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

export type GradeFlag = z.infer<typeof GradeFlagSchema>;
export type StarPart = z.infer<typeof StarPartSchema>;
export type CriterionGrade = z.infer<typeof CriterionGradeSchema>;
export type Grade = z.infer<typeof GradeSchema>;

/**
 * What a grader grades against: the question, and the criteria resolved from its rubric
 * (behavioral questions get the STAR criteria too). `references` replaces the model answer
 * when grading a dataset whose question is not in our content.
 */
export type GradingTarget = {
  question: Pick<Question, 'id' | 'prompt' | 'kind' | 'modelAnswer'> & Partial<Question>;
  rubricId: string;
  rubricVersion: string;
  criteria: Criterion[];
  redFlags: RedFlag[];
  /** Which criterion ids are STAR parts, so the grade can carry a `star` block. */
  starCriteria?: Partial<Record<StarPart, string>>;
  /** Reference answers, best first; the model answer when not given. */
  references?: string[];
};

export type GradeRequest = { target: GradingTarget; answer: string };

export interface Grader {
  readonly kind: 'lexical' | 'llm';
  grade(req: GradeRequest): Promise<Grade>;
}
