import type { GradeFlag, GradingTarget } from './types.js';
import { contentStems, topicStems, wordCount, type Span } from './text.js';

/** Answers longer than this are cut before they are stored or graded. */
export const MAX_ANSWER_CHARS = 20_000;
/** Fewer words than this is "too short" (lowered for targets whose references are themselves short). */
export const MIN_WORDS = 8;

export type SanitizedAnswer = { text: string; truncated: boolean };

/**
 * Makes raw user text safe to store and grade: CRLF/CR become LF, control characters other
 * than \n and \t are removed (zero-width and bidi controls too), and the text is capped at
 * MAX_ANSWER_CHARS (`truncated` says so). The caller stores `text`.
 */
export function sanitizeAnswer(raw: string): SanitizedAnswer {
  let text = raw
    .replace(/\r\n?/g, '\n')
    // C0/C1 controls except \t and \n; zero-width, bidi and BOM format characters.
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, '');
  let truncated = false;
  if (text.length > MAX_ANSWER_CHARS) {
    let cut = MAX_ANSWER_CHARS;
    // Don't split a surrogate pair.
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    text = text.slice(0, cut);
    truncated = true;
  }
  return { text, truncated };
}

export type GuardResult = {
  flags: GradeFlag[];
  /** Spans of the answer that look like instructions to the grader; graded as if absent. */
  suspiciousSpans: Span[];
  words: number;
  minWords: number;
};

const INJECTION_PATTERNS: RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:rubric|instructions?|prompts?|rules?|criteria|guidelines|above|previous|prior|system)\b/i,
  /\b(?:give|award|assign|grant|rate|score|mark)\b[^.\n]{0,30}\b(?:full|max(?:imum)?|perfect|top|highest)\s+(?:marks?|scores?|points?|grades?|credit)\b/i,
  /\b(?:give|award|assign|grant|rate)\b[^.\n]{0,20}\b(?:me|this|this answer|it)\b[^.\n]{0,20}\b(?:100|10\s*\/\s*10|4\s*\/\s*4|a\+?|an a)\b/i,
  /\b(?:score|grade|mark|rating)\s*(?:of|=|:|is|should be|must be)\s*(?:100|4\s*\/\s*4|10\s*\/\s*10|perfect|full)\b/i,
  /["']?\b(?:score|grade|rating|passed?)\b["']?\s*:\s*(?:"?\d+"?|true)/i,
  /<\|\s*(?:im_start|im_end|system|endoftext|user|assistant)\s*\|>/i,
  /\[\/?(?:INST|SYS)\]|<<\/?SYS>>/,
  /#{2,}\s*(?:instruction|system|response|new instructions?)\b/i,
  /\b(?:you are|act as|pretend to be|you're)\s+(?:now\s+)?(?:an?\s+)?(?:grader|examiner|assistant|evaluator|ai|language model|chatgpt)\b/i,
  /\b(?:new|updated|real)\s+instructions?\s*:/i,
  /\bas\s+(?:the|an?)\s+(?:grader|evaluator|examiner)\b[^.\n]{0,40}\b(?:must|should|will)\b/i,
];

const CODE_BLOCK_RE = /```[\s\S]*?(?:```|$)|<!--[\s\S]*?(?:-->|$)/g;
/** Chat-template blocks and role-headed paragraphs: everything up to their end is suspicious. */
const ROLE_BLOCK_RES: RegExp[] = [
  /<\|\s*im_start\s*\|>[\s\S]*?(?:<\|\s*im_end\s*\|>|$)/gi,
  /\[INST\][\s\S]*?(?:\[\/INST\]|$)/g,
  /<<SYS>>[\s\S]*?(?:<<\/SYS>>|$)/g,
  /(?:^|\n)[ \t]*#{2,}[ \t]*(?:instructions?|system|response|new instructions?)\b[\s\S]*?(?=\n[ \t]*\n|$)/gi,
];
/**
 * "System:" or "Assistant:" at the start of a paragraph is a role tag only when the paragraph
 * talks to the grader; answers legitimately lay out "Data: / Model: / System: / Monitoring:".
 */
const ROLE_LINE_RE = /(?:^|\n)[ \t]*(?:system|assistant|developer|user)[ \t]*:[\s\S]*?(?=\n[ \t]*\n|$)/gi;
const ADDRESSES_GRADER_RE = /\b(?:ignore|disregard|grader|grading|rubric|instructions?|score|grade|marks?|points|you are|you must|respond|output|json|evaluator|examiner)\b/i;
const CODE_INSTRUCTION_RE = /\b(?:ignore|grader|rubric|instruction|score|grade|marks?|system|assistant|prompt)\b/i;

function lineSpanAround(text: string, index: number, endIndex: number): Span {
  // The clause the pattern sits in: from the previous sentence end/newline to the next one.
  let s = index;
  while (s > 0 && !/[\n.!?]/.test(text[s - 1]!)) s--;
  let e = endIndex;
  while (e < text.length && !/[\n.!?]/.test(text[e]!)) e++;
  if (e < text.length && text[e] !== '\n') e++;
  return { start: s, end: e };
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const sp of sorted) {
    const last = out[out.length - 1];
    if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
    else out.push({ ...sp });
  }
  return out;
}

/** Spans of `answer` that try to instruct the grader (merged, in order). */
export function findInjection(answer: string): Span[] {
  const spans: Span[] = [];
  for (const m of answer.matchAll(CODE_BLOCK_RE)) {
    const end = m.index + m[0].length;
    const hidden = m[0].startsWith('<!--');
    if (hidden || CODE_INSTRUCTION_RE.test(m[0]) || INJECTION_PATTERNS.some((p) => p.test(m[0]))) {
      spans.push({ start: m.index, end });
    }
  }
  for (const re of ROLE_BLOCK_RES) {
    for (const m of answer.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  for (const m of answer.matchAll(ROLE_LINE_RE)) {
    if (ADDRESSES_GRADER_RE.test(m[0])) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  for (const p of INJECTION_PATTERNS) {
    const g = new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g');
    for (const m of answer.matchAll(g)) spans.push(lineSpanAround(answer, m.index, m.index + m[0].length));
  }
  // Fake JSON objects that carry a score.
  for (const m of answer.matchAll(/\{[^{}]{0,400}\}/g)) {
    if (/["']?(?:score|grade|rating|flags|criteria|pass)["']?\s*:/i.test(m[0])) {
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  return mergeSpans(spans);
}

/** The answer with `spans` blanked out by spaces: same length, so offsets still hold. */
export function maskSpans(answer: string, spans: Span[]): string {
  if (spans.length === 0) return answer;
  let out = '';
  let from = 0;
  for (const sp of spans) {
    out += answer.slice(from, sp.start) + answer.slice(sp.start, sp.end).replace(/[^\n]/g, ' ');
    from = sp.end;
  }
  return out + answer.slice(from);
}

/** The vocabulary an on-topic answer shares with the question, its rubric and references. */
export function targetVocabulary(target: GradingTarget): Set<string> {
  const parts: string[] = [target.question.prompt, target.question.context ?? '', ...(target.references ?? [])];
  if (!target.references) parts.push(target.question.modelAnswer);
  for (const c of target.criteria) {
    parts.push(c.name, c.description, c.anchors['2'], c.anchors['4']);
    for (const s of c.signals) parts.push(s.label, ...s.terms);
  }
  return new Set(parts.flatMap(topicStems));
}

/** Minimum word count for this target: MIN_WORDS, lowered when its references are short. */
export function minWordsFor(target: GradingTarget): number {
  const refs = target.references ?? [];
  if (target.criteria.length > 0 || refs.length === 0) return MIN_WORDS;
  const shortest = Math.min(...refs.map(wordCount));
  return Math.max(2, Math.min(MIN_WORDS, Math.round(shortest * 0.3)));
}

/** "The same." answers "the same or different?": comparison words count when the question or a reference uses them. */
function echoesComparison(answer: string, target: GradingTarget): boolean {
  const words = new Set(contentStems([target.question.prompt, ...(target.references ?? [target.question.modelAnswer])].join('\n')));
  return contentStems(answer).some((s) => words.has(s));
}

/**
 * Flags an answer before it is graded: `too_short`, `off_topic` (no content word in common
 * with the question, rubric or references) and `injection_suspected`.
 */
export function checkAnswer(answer: string, target: GradingTarget, vocab?: Set<string>): GuardResult {
  const flags: GradeFlag[] = [];
  const suspiciousSpans = findInjection(answer);
  if (suspiciousSpans.length > 0) flags.push('injection_suspected');
  const clean = maskSpans(answer, suspiciousSpans);
  const words = wordCount(clean);
  const minWords = minWordsFor(target);
  if (words < minWords) flags.push('too_short');
  const v = vocab ?? targetVocabulary(target);
  const stems = topicStems(clean);
  if (words > 0 && !stems.some((s) => v.has(s)) && !(stems.length === 0 && echoesComparison(clean, target))) flags.push('off_topic');
  if (words === 0 && !flags.includes('too_short')) flags.push('too_short');
  return { flags, suspiciousSpans, words, minWords };
}
