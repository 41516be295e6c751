import { normalise, wordCount } from '../lexical/text.js';

/**
 * What a model writes for the user to read as the interviewer (the grade's follow-up, a probe,
 * a hint) goes through here. A model asked for "one follow-up question" sometimes returns
 * something else: the grade as JSON, "Sure! Here is the follow-up: ...", a code block, a remark
 * on the score, or the candidate's own sentence echoed back. Any of that shown as "Follow-up:"
 * reads as a broken bot, so it is refused and the caller uses its authored text instead.
 */

const LABEL_RE = /^(?:follow[- ]?up(?:\s+question)?|question|probe|hint|interviewer|answer|response)\s*(?:\d+\s*)?[:：\-–—]\s*/i;
const QUOTE_PAIRS: [string, string][] = [['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’'], ['«', '»'], ['`', '`']];

/**
 * What the user should see of a model's reply: no reasoning blocks (<think>), no "Follow-up:"
 * label, no wrapping quotes or markdown emphasis, on one line.
 */
export function cleanInterviewerText(raw: string): string {
  let t = raw.replace(/<think>[\s\S]*?(?:<\/think>|$)/gi, '').replace(/```[a-z]*\n?|```/gi, '');
  t = t.replace(/\*\*|__/g, '').replace(/\s+/g, ' ').trim();
  for (let changed = true; changed; ) {
    const before = t;
    t = t.replace(/^[-*>•]\s+/, '').replace(LABEL_RE, '').trim();
    for (const [open, close] of QUOTE_PAIRS) {
      if (t.length >= 2 && t.startsWith(open) && t.endsWith(close)) t = t.slice(open.length, -close.length).trim();
    }
    changed = t !== before;
  }
  return t;
}

/** Bounds of one spoken interviewer turn; the prompts ask for under 30 words. */
export const MIN_TURN_WORDS = 3;
export const MAX_TURN_WORDS = 60;

/** Structure no spoken question has: JSON or code, markup, tables, links. */
const MARKUP_RE = /[{}[\]<>|`\\]|^#|https?:\/\//;
/** The model talking as an assistant instead of asking as the interviewer. */
const PREAMBLE_RE =
  /^(?:sure|certainly|of course|okay|ok|absolutely|great question|good question|here(?:'s| is| are)|below is|i'd (?:ask|suggest)|i would ask|as an ai|as a language model|i'm sorry|i am sorry|i can(?:no|')t|unfortunately|note:|the (?:follow[- ]?up|question|probe|hint) (?:is|would be))\b/i;
const ASSISTANT_RE = /\b(?:as an ai|language model|i cannot help|i can't help|i'm unable|i am unable)\b/i;
/**
 * Talk of the grade itself. "score" and "grade" alone are not refused ("fraud score", "F1
 * score", "graded relevance" are interview material); the candidate's score, a score with a
 * scale, and the grader's vocabulary are.
 */
const GRADE_TALK_RE =
  /\b(?:rubric|grader|grading|full marks|your (?:score|grade|mark)|you (?:scored|earned|got a)|(?:this|the|your) (?:answer|response) (?:scored|scores|gets|got|earned|earns|deserves)|grade[sd]?\s*(?:of|is|was|:)|(?:score|scored|rating)\s*(?:of|:|=|is|was)?\s*\d+(?:\.\d+)?\s*(?:\/|out of)|\d+(?:\.\d+)?\s*(?:\/|out of)\s*(?:4|5|10|100)\b|(?:strengths|gaps)\s*:)/i;

export type InterviewerCheck = { ok: true; text: string } | { ok: false; reason: string };

export type InterviewerCheckOptions = {
  /** Probes and follow-ups must be one question; hints may be a nudge ("Think about the base rate."). */
  question: boolean;
  /** The candidate's answer (and the question asked): a follow-up that repeats one of them asks nothing new. */
  notCopyOf?: string[];
};

/** Lower-case words only, for comparing texts regardless of punctuation and case. */
const words = (s: string) => normalise(s).match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether `text` is (almost) all one run of words taken from `source`: an echo, not a question. */
function copies(text: string, source: string): boolean {
  const t = words(text);
  const src = ` ${words(source).join(' ')} `;
  if (t.length === 0 || src.length <= 2) return false;
  const needed = Math.min(t.length, Math.max(6, Math.ceil(0.8 * t.length)));
  for (let i = 0; i + needed <= t.length; i++) {
    for (let j = t.length; j >= i + needed; j--) if (src.includes(` ${t.slice(i, j).join(' ')} `)) return true;
  }
  return false;
}

/**
 * Cleans a model's interviewer text and says whether it may be shown: one interviewer question
 * (or, for hints, one short nudge) of MIN_TURN_WORDS..MAX_TURN_WORDS words, without markup, assistant
 * preamble, talk of grades, or a copy of the answer. `reason` is for logs.
 */
export function checkInterviewerText(raw: string, opts: InterviewerCheckOptions): InterviewerCheck {
  const text = cleanInterviewerText(raw);
  if (text === '') return { ok: false, reason: 'the model returned nothing' };
  const n = wordCount(text);
  if (n < MIN_TURN_WORDS || n > MAX_TURN_WORDS) return { ok: false, reason: `the model returned ${n} word${n === 1 ? '' : 's'}` };
  if (MARKUP_RE.test(text)) return { ok: false, reason: 'the model returned markup or JSON' };
  if (PREAMBLE_RE.test(text) || ASSISTANT_RE.test(text)) return { ok: false, reason: 'the model talked as an assistant' };
  if (GRADE_TALK_RE.test(text)) return { ok: false, reason: 'the model talked about the grade' };
  if (opts.question) {
    if (!text.endsWith('?')) return { ok: false, reason: 'the model did not ask a question' };
    // One question, maybe after a short lead-in ("You mentioned retraining. What would trigger it?").
    const asks = (text.match(/\?/g) ?? []).length;
    const sentences = text.split(/(?<=[.!?])\s+/).filter(Boolean).length;
    if (asks > 2 || sentences > 3) return { ok: false, reason: 'the model asked several questions' };
  }
  if ((opts.notCopyOf ?? []).some((s) => copies(text, s))) return { ok: false, reason: 'the model repeated the answer or the question' };
  return { ok: true, text };
}
