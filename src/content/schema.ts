import { z } from 'zod';

/** Ids appear in commands (`practice fraud-accuracy-paradox`), so they stay typeable. */
const IdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens (e.g. "data-drift")');

const Text = z.string().trim().min(1, 'must not be empty');

/**
 * Something an answer can show: a concept, a piece of evidence, a behaviour.
 * `terms` are the words or phrases that signal it, synonyms included; the lexical
 * grader stems them, so "monitor" also finds "monitoring".
 */
const SignalSchema = z.strictObject({
  id: IdSchema,
  label: Text.describe('What the signal is, as feedback would name it'),
  terms: z.array(Text).min(1).describe('Words or phrases that show the signal, synonyms included'),
});

/**
 * A red flag fires when the answer mentions one of `whenAny` but none of `unlessAny`:
 * "judges the model by accuracy alone" is `whenAny: [accuracy]`, `unlessAny: [precision, recall, f1]`.
 * With no `whenAny` it fires when none of `unlessAny` is present.
 */
const RedFlagSchema = z
  .strictObject({
    id: IdSchema,
    description: Text,
    whenAny: z.array(Text).default([]),
    unlessAny: z.array(Text).default([]),
  })
  .refine((f) => f.whenAny.length + f.unlessAny.length > 0, {
    message: 'a red flag needs whenAny or unlessAny terms',
  });

const AnchorsSchema = z.strictObject({
  '0': Text.describe('What an answer scoring 0 on this criterion looks like'),
  '2': Text.describe('What an answer scoring 2 looks like'),
  '4': Text.describe('What an answer scoring 4 looks like'),
});

const CriterionSchema = z.strictObject({
  id: IdSchema,
  name: Text,
  weight: z.number().positive().max(100),
  description: Text,
  anchors: AnchorsSchema,
  signals: z.array(SignalSchema).min(1),
  /** How many signals make a full 4; defaults to all of them, capped at 4. */
  fullMarksAt: z.number().int().positive().optional(),
});

export const RubricSchema = z.strictObject({
  $schema: z.string().optional(),
  id: IdSchema,
  version: Text.describe('Bump when criteria change, so stored grades say which rubric made them'),
  title: Text,
  kind: z.enum(['star', 'strategy']),
  description: Text,
  criteria: z.array(CriterionSchema).min(1),
  redFlags: z.array(RedFlagSchema).default([]),
});

const QuestionKindSchema = z.enum(['behavioral', 'technical', 'scenario']);
const DifficultySchema = z.enum(['beginner', 'intermediate', 'advanced']);

const ProbeSchema = z.strictObject({
  gap: IdSchema.describe('The criterion id whose weakness triggers this probe'),
  text: Text,
});

export const QuestionSchema = z.strictObject({
  $schema: z.string().optional(),
  id: IdSchema,
  track: IdSchema,
  competency: IdSchema,
  kind: QuestionKindSchema,
  difficulty: DifficultySchema,
  prompt: Text.describe('The question as the interviewer asks it'),
  context: Text.optional().describe('Background given with the question (data, constraints)'),
  hints: z.array(Text).min(1),
  probes: z.array(ProbeSchema).min(1),
  modelAnswer: Text,
  rubric: IdSchema.describe('The answer-strategy rubric; behavioral questions are also graded on STAR'),
  source: Text.optional().describe('Which seed document the question comes from'),
});

const TrackSchema = z.strictObject({
  id: IdSchema,
  title: Text,
  skill: Text.describe('The skill this track trains'),
  description: Text,
});

export const TracksFileSchema = z.strictObject({
  $schema: z.string().optional(),
  tracks: z.array(TrackSchema).min(1),
});

/** A table shown with an inject, e.g. the metrics an on-call engineer would see. */
const InjectDataSchema = z.strictObject({
  caption: Text.optional(),
  columns: z.array(Text).min(1),
  rows: z.array(z.array(z.union([z.string(), z.number()]))).min(1),
});

const DrillRoleSchema = z.strictObject({
  id: IdSchema,
  name: Text,
  description: Text,
  /** A drill does not start without someone in each required role (the facilitator may cover them). */
  required: z.boolean().default(false),
});

const DecisionOptionSchema = z.strictObject({
  id: IdSchema,
  label: Text.describe('Button text: short'),
  next: IdSchema.optional().describe('The inject this option releases'),
  recommended: z.boolean().default(false),
  consequence: Text.optional().describe('What happens, told when the option is chosen'),
});

const DecisionSchema = z.strictObject({
  id: IdSchema,
  prompt: Text,
  /** The role that takes the decision; with `vote`, every participant votes and the majority decides. */
  owner: IdSchema,
  vote: z.boolean().default(false),
  options: z.array(DecisionOptionSchema).min(2),
});

const InjectSchema = z.strictObject({
  id: IdSchema,
  title: Text,
  text: Text,
  data: InjectDataSchema.optional(),
  roles: z.array(IdSchema).default([]).describe('Roles this inject is addressed to; empty = everyone'),
  /** How this inject is released: at start, after a delay following the previous release, by a decision, or by the facilitator. */
  release: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('start') }),
      z.strictObject({ kind: z.literal('after'), minutes: z.number().positive().max(24 * 60), follows: IdSchema }),
      z.strictObject({ kind: z.literal('decision') }),
      z.strictObject({ kind: z.literal('facilitator') }),
    ]),
  decision: DecisionSchema.optional(),
});

const ExpectedActionSchema = z.strictObject({
  id: IdSchema,
  description: Text,
  points: z.number().int().positive().max(100),
  objective: IdSchema.describe('The objective this action serves'),
  role: IdSchema.optional().describe('The role expected to take it, if any'),
  /** Key actions count for "time to the first key action" in the report. */
  key: z.boolean().default(false),
  signals: z.array(SignalSchema).min(1).describe('What in a participant\'s message shows the action was taken'),
});

export const DrillSchema = z.strictObject({
  $schema: z.string().optional(),
  id: IdSchema,
  title: Text,
  summary: Text,
  source: Text.optional(),
  durationMinutes: z.number().int().positive().max(24 * 60),
  roles: z.array(DrillRoleSchema).min(1),
  objectives: z.array(z.strictObject({ id: IdSchema, description: Text })).min(1),
  injects: z.array(InjectSchema).min(1),
  expectedActions: z.array(ExpectedActionSchema).min(1),
  facilitatorNotes: z.array(Text).default([]),
  debrief: z.array(Text).min(1),
});

export type Signal = z.infer<typeof SignalSchema>;
export type Drill = z.infer<typeof DrillSchema>;
export type Inject = z.infer<typeof InjectSchema>;
export type Decision = z.infer<typeof DecisionSchema>;
export type RedFlag = z.infer<typeof RedFlagSchema>;
export type Criterion = z.infer<typeof CriterionSchema>;
export type Rubric = z.infer<typeof RubricSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type Track = z.infer<typeof TrackSchema>;

/** The STAR rubric every behavioral question is also graded on. */
export const STAR_RUBRIC_ID = 'star';

/** The JSON Schemas committed under schema/ so editors can validate the YAML. */
export const JSON_SCHEMAS = {
  'question.schema.json': QuestionSchema,
  'rubric.schema.json': RubricSchema,
  'tracks.schema.json': TracksFileSchema,
  'drill.schema.json': DrillSchema,
} as const;
