import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { z } from 'zod';
import type { Criterion } from '../../content/schema.js';
import { checkInterviewerText } from './follow-up.js';
import { judgeQuote } from './grounding.js';
import { describeFailure, INVALID_OUTPUT, withTimeout, type ModelFailure } from './models.js';
import { checkTemplate, delimitAnswer, formatCriterion, promptVersion, renderMessages, requireTemplate } from './prompt.js';
import type { Span } from '../lexical/text.js';
import { createQuoteCheck, gradeWithFallback, type GradeAttempt, type GuardedRequest, type QuoteCheck, type TokenUsage } from '../pipeline.js';
import { GradeSchema, STAR_PARTS, type CriterionGrade, type Grade, type Grader, type GradingTarget } from '../types.js';

/**
 * What we ask the model to return. Every field is required (OpenAI's strict structured
 * output demands it) and scores are plain numbers: we clamp them ourselves rather than let
 * an out-of-range 5 turn a usable grade into a parse failure.
 */
const CriterionOutSchema = z.object({
  id: z.string().describe('The criterion id, exactly as listed'),
  evidence: z.array(z.string()).describe('Short quotes copied character for character from the answer; empty if none'),
  rationale: z.string().describe('One or two sentences: why this score, judged against the anchors'),
  score: z.number().describe('0 to 4, judged against the 0/2/4 anchors'),
});
const StarPartOutSchema = z.object({
  present: z.boolean(),
  evidence: z.string().describe('A quote copied character for character from the answer, or "" if absent'),
});
const gradeFields = {
  criteria: z.array(CriterionOutSchema).describe('One entry per criterion id'),
  strengths: z.array(z.string()).describe('At most 3 things the answer did well'),
  gaps: z.array(z.string()).describe('At most 3 things the answer missed, most important first'),
  flags: z.array(z.enum(['too_short', 'off_topic', 'injection_suspected'])),
};
export const LlmGradeSchema = z.object(gradeFields);
export const LlmStarGradeSchema = z.object({
  ...gradeFields,
  star: z.object({ situation: StarPartOutSchema, task: StarPartOutSchema, action: StarPartOutSchema, result: StarPartOutSchema }),
});
type LlmGradeOut = z.infer<typeof LlmGradeSchema> & { star?: z.infer<typeof LlmStarGradeSchema>['star'] };

export type LlmGraderOptions = {
  model: BaseChatModel;
  /** Stored in grade.grader.model, e.g. "openai:gpt-4o-mini". */
  modelName: string;
  /** Prompt templates by name; `grade` is used. */
  prompts: Map<string, string>;
  /** Answers when the model cannot (and for too-short / off-topic answers): the lexical grader. */
  fallback: Grader;
  timeoutMs: number;
  /** Extra attempts after a timeout, refused connection, 429 or 5xx. Invalid output is retried once. */
  maxRetries: number;
  /** Pause before retry n is n times this (default 250 ms), so a rate-limited server gets room. */
  retryDelayMs?: number;
};

/** Placeholders grade.md may use. */
export const GRADE_PLACEHOLDERS = ['question', 'criteria', 'reference', 'answer', 'answer_tag'] as const;

/** Stands in for a rubric when a target has none (external data sets graded against references). */
const REFERENCE_CRITERION: Criterion = {
  id: 'reference-match',
  name: 'Matches the reference answer',
  weight: 1,
  description: 'States the key points of a reference answer, in any wording.',
  anchors: {
    '0': 'Misses or contradicts the key point of every reference answer.',
    '2': 'Gets part of the key point, or states it vaguely.',
    '4': 'States the key point of a reference answer correctly and completely.',
  },
  signals: [],
};

const RED_FLAG_PENALTY = 10;
const INJECTION_GAP = 'Parts of the answer addressed the grader instead of the question and were ignored.';
const REDACTED = '[removed: text addressed to the grader]';

export function createLlmGrader(opts: LlmGraderOptions): Grader {
  const template = requireTemplate(opts.prompts, 'grade');
  checkTemplate('grade', template, GRADE_PLACEHOLDERS);
  const promptVer = promptVersion(template);
  const plain = opts.model.withStructuredOutput(LlmGradeSchema, { includeRaw: true, name: 'grade' });
  const star = opts.model.withStructuredOutput(LlmStarGradeSchema, { includeRaw: true, name: 'grade' });
  const retryDelayMs = opts.retryDelayMs ?? 250;
  const graderInfo = (target: GradingTarget): Grade['grader'] => ({ kind: 'llm', model: opts.modelName, rubricVersion: target.rubricVersion, ...(promptVer ? { promptVersion: promptVer } : {}) });

  /**
   * Step 3 of the pipeline. The lexical grade answers for short and off-topic answers, fills
   * criteria the model skips, and caps answers that try to instruct the grader.
   */
  async function gradeByModel(req: GuardedRequest, lexical: Grade): Promise<GradeAttempt> {
    const { guard } = req;
    // Nothing for a model to judge (a pasted list of terms or scrambled words included: a lenient
    // model would credit the words); the lexical grade already says why.
    if (guard.flags.includes('too_short') || guard.flags.includes('off_topic') || lexical.flags.includes('not_an_answer')) return { ok: true, grade: lexical };

    const messages = buildMessages(template, req.target, req.answer, guard.suspiciousSpans);
    const schema = req.target.starCriteria ? LlmStarGradeSchema : LlmGradeSchema;
    const runnable = req.target.starCriteria ? star : plain;
    const tokens = { input: 0, output: 0 };
    let invalidSeen = false;
    let retries = 0;
    for (;;) {
      let failure: ModelFailure;
      try {
        const res = await withTimeout((signal) => runnable.invoke(messages, { signal }), opts.timeoutMs);
        addUsage(tokens, res.raw);
        // LangChain validates with the schema on some paths only (and fakes never): check ourselves.
        const parsed = schema.safeParse(res.parsed);
        const built = parsed.success ? buildGrade(req, parsed.data, lexical, graderInfo(req.target), tokens) : undefined;
        if (built) return { ok: true, grade: built };
        failure = INVALID_OUTPUT;
      } catch (err) {
        failure = describeFailure(err, opts.timeoutMs);
      }
      if (failure.kind === 'invalid_output') {
        if (invalidSeen) return { ok: false, reason: failure.reason, tokens };
        invalidSeen = true;
        continue;
      }
      if (!failure.retryable || retries >= opts.maxRetries) return { ok: false, reason: failure.reason, tokens };
      retries++;
      if (retryDelayMs > 0) await new Promise((r) => setTimeout(r, retryDelayMs * retries));
    }
  }

  return { kind: 'llm', grade: (req) => gradeWithFallback(req, gradeByModel, opts.fallback) };
}

/** The model's output made a grade: only evidenced scores count, and the rubric's arithmetic is ours. Undefined when it cannot be stored. */
function buildGrade(req: GuardedRequest, out: LlmGradeOut, lexical: Grade, grader: Grade['grader'], tokens: TokenUsage): Grade | undefined {
  const { target, answer } = req;
  // Our guard or the model may spot an injection; either way it cannot raise the score (a
  // model that over-flags only costs the LLM's edge over lexical). The model's too_short /
  // off_topic opinions are ignored: the guard decided those before the call.
  const injection = req.guard.flags.includes('injection_suspected') || out.flags.includes('injection_suspected');
  const quotes = createQuoteCheck(answer);
  const rubric = criteriaOf(target);
  const { criteria, unbacked } = gradeCriteria(target, rubric, out, lexical, quotes, injection);
  // Red flags are rubric rules on terms ("accuracy" without "recall"); the lexical grader's
  // verdict is reused so both graders take off the same points for the same mistake.
  const redFlags = lexical.meta?.redFlags ?? [];
  const starBlock = target.starCriteria ? (out.star ? starFromModel(target, rubric, out.star, quotes) : lexical.star) : undefined;
  const grade: Grade = {
    score: overallScore(rubric, criteria, redFlags, injection ? lexical.score : undefined),
    criteria,
    ...(starBlock ? { star: starBlock } : {}),
    ...feedback(req, out, criteria, unbacked, injection),
    grader,
    meta: {
      ...(quotes.dropped > 0 ? { droppedQuotes: quotes.dropped } : {}),
      ...(redFlags.length > 0 ? { redFlags } : {}),
      tokens: { ...tokens },
    },
  };
  // Last line of defence (NaN, a bad flag): a grade we cannot store is no grade.
  return GradeSchema.safeParse(grade).success ? grade : undefined;
}

/**
 * One grade per rubric criterion. A criterion the model skipped keeps its lexical grade; a score
 * is kept only with a quote that is verbatim and about the criterion (`unbacked` counts the
 * claims that had none); with an injection no criterion scores above its lexical grade.
 */
function gradeCriteria(
  target: GradingTarget,
  rubric: Criterion[],
  out: LlmGradeOut,
  lexical: Grade,
  quotes: QuoteCheck,
  injection: boolean,
): { criteria: CriterionGrade[]; unbacked: number } {
  const criteria: CriterionGrade[] = [];
  let unbacked = 0;
  for (const c of rubric) {
    const lex = lexical.criteria.find((x) => x.id === c.id);
    const mine = out.criteria.find((x) => x.id === c.id);
    let g: CriterionGrade;
    if (!mine || !Number.isFinite(mine.score)) {
      // The model skipped it: the lexical judgement stands in rather than a silent 0.
      g = lex ?? { id: c.id, score: 0, evidence: [], rationale: 'Not graded.' };
    } else {
      const quoted = [...new Set(mine.evidence.map((q) => quotes.keep(q)).filter((q): q is string => q !== undefined))];
      // Verbatim is not enough: a quote must be about this criterion to back its score.
      const evidence = quoted.filter((q) => judgeQuote(target, rubric, c, q).relevant).slice(0, 3);
      const claimed = Math.max(0, Math.min(4, Math.round(mine.score)));
      const rationale = clip(mine.rationale, 600) || lex?.rationale || '';
      if (claimed > 0 && evidence.length === 0) {
        // A score nothing in the answer backs is a claim, not a grade.
        unbacked++;
        g = { id: c.id, score: 0, evidence, rationale: ungrounded(mine.evidence.filter((q) => q.trim() !== '').length, quoted.length) };
      } else g = { id: c.id, score: claimed, evidence, rationale };
    }
    // An answer that tries to instruct the grader cannot score above its lexical grade anywhere.
    if (injection && lex && g.score > lex.score) g = { ...g, score: lex.score };
    criteria.push(g);
  }
  return { criteria, unbacked };
}

/** 0..100 from the weighted criteria, less the red flags; never above `cap` (the lexical score when the answer tried to instruct the grader). */
function overallScore(rubric: Criterion[], criteria: CriterionGrade[], redFlags: string[], cap: number | undefined): number {
  let wsum = 0;
  let wscore = 0;
  rubric.forEach((c, i) => {
    wsum += c.weight;
    wscore += (c.weight * criteria[i]!.score) / 4;
  });
  let score = (wsum > 0 ? (100 * wscore) / wsum : 0) - RED_FLAG_PENALTY * Math.min(3, redFlags.length);
  if (cap !== undefined) score = Math.min(score, cap);
  return Math.round(Math.max(0, Math.min(100, score)) * 10) / 10;
}

/** The model's STAR block, each part present only with a kept quote: verbatim and a real clause of the story. */
function starFromModel(target: GradingTarget, rubric: Criterion[], star: NonNullable<LlmGradeOut['star']>, quotes: QuoteCheck): NonNullable<Grade['star']> {
  const block = {} as NonNullable<Grade['star']>;
  for (const part of STAR_PARTS) {
    const p = star[part];
    const quoted = quotes.keep(p.evidence);
    const id = target.starCriteria?.[part];
    const c = id ? rubric.find((x) => x.id === id) : undefined;
    const evidence = quoted !== undefined && (!c || judgeQuote(target, rubric, c, quoted).relevant) ? quoted : undefined;
    block[part] = evidence !== undefined ? { present: p.present, evidence } : { present: false };
  }
  return block;
}

/** Strengths, gaps and flags as the user will read them. */
function feedback(req: GuardedRequest, out: LlmGradeOut, criteria: CriterionGrade[], unbacked: number, injection: boolean): Pick<Grade, 'strengths' | 'gaps' | 'flags'> {
  // Praise for an answer whose every claimed score lacked evidence is as unbacked as the scores.
  const strengths = unbacked > 0 && criteria.every((c) => c.score === 0) ? [] : cleanList(out.strengths);
  const gaps = cleanList(out.gaps);
  if (injection && !gaps.includes(INJECTION_GAP)) gaps.push(INJECTION_GAP);
  const flags = [...req.guard.flags];
  if (injection && !flags.includes('injection_suspected')) flags.push('injection_suspected');
  return { strengths, gaps, flags };
}

/** The rationale of a criterion whose score no quote backed (it replaces the model's, which claimed credit). */
function ungrounded(given: number, verbatim: number): string {
  const why =
    given === 0 ? 'the grader quoted nothing for it'
    : verbatim === 0 ? 'the quotes given for it are not in the answer'
    : 'the quotes given for it are not about this criterion';
  return `No quoted evidence from the answer supported this criterion (${why}), so it earns no credit.`;
}

function criteriaOf(target: GradingTarget): Criterion[] {
  return target.criteria.length > 0 ? target.criteria : [REFERENCE_CRITERION];
}

function buildMessages(template: string, target: GradingTarget, answer: string, suspicious: Span[]): BaseMessage[] {
  // Instructions aimed at the grader are cut out before the model ever reads them.
  const shown = suspicious.length === 0 ? answer : redact(answer, suspicious);
  const { tag, block } = delimitAnswer(shown);
  const q = target.question;
  const refs = target.references ?? [q.modelAnswer];
  const values: Record<(typeof GRADE_PLACEHOLDERS)[number], string> = {
    question: q.context ? `${q.prompt}\n\nContext: ${q.context}` : q.prompt,
    criteria: criteriaOf(target).map(formatCriterion).join('\n'),
    reference: refs.length === 1 ? refs[0]! : refs.slice(0, 3).map((r, i) => `Reference ${i + 1}:\n${r}`).join('\n\n'),
    answer: block,
    answer_tag: tag,
  };
  const m = renderMessages(template, values, 'grade');
  return [...(m.system ? [new SystemMessage(m.system)] : []), new HumanMessage(m.user)];
}

function redact(answer: string, spans: Span[]): string {
  // One visible marker per span (spans are merged and in order), so the model knows text was cut.
  let out = '';
  let from = 0;
  for (const sp of spans) {
    out += answer.slice(from, sp.start) + REDACTED;
    from = sp.end;
  }
  return out + answer.slice(from);
}

function addUsage(tokens: TokenUsage, raw: unknown): void {
  const usage = (raw as { usage_metadata?: { input_tokens?: number; output_tokens?: number } } | undefined)?.usage_metadata;
  tokens.input += usage?.input_tokens ?? 0;
  tokens.output += usage?.output_tokens ?? 0;
}

const clip = (s: string, max: number) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
};

function cleanList(items: string[]): string[] {
  return [...new Set(items.map((s) => clip(s, 300)).filter((s) => s.length > 0))].slice(0, 3);
}
