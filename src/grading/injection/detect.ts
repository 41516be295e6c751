import type { Span } from '../lexical/text.js';
import { decodeBlobs } from './decode.js';
import { LATIN_LANGUAGE_RULES, SCRIPT_LANGUAGE_RULES } from './languages.js';
import { cleanView, collapseSpaced, foldView, latinBaseView } from './normalize.js';
import { leetView, reversedView, rot13View, squeezeView } from './variants.js';
import { toOriginal, type View } from './view.js';
import { ENGLISH_RULES, STRUCTURE_RULES } from './patterns.js';
import { isDirected, type Rule } from './rules.js';
import { clauseAround, mergeSpans, paragraphFrom, widenTo } from './spans.js';

/**
 * Finds text aimed at the grader rather than the interviewer. Pipeline: normalise the answer
 * into views that undo disguises (Unicode tricks, look-alike letters, spaced or leet letters,
 * ROT13, reversal), decode embedded blobs (base64, hex, binary) and scan them recursively,
 * then match one set of patterns against every view. Every hit is mapped back to the
 * original answer, so the spans can be masked for the lexical grader and redacted for the LLM.
 */

const LATIN_RULES: Rule[] = [...ENGLISH_RULES, ...LATIN_LANGUAGE_RULES];

/** Text around each of `spans` (view offsets), merged: derived views are only scanned where they differ. */
function windows(view: View, spans: Span[], pad = 200): View[] {
  const out: View[] = [];
  for (const sp of mergeSpans(spans.map((s) => ({ start: Math.max(0, s.start - pad), end: Math.min(view.text.length, s.end + pad) })))) {
    out.push({ text: view.text.slice(sp.start, sp.end), from: view.from.subarray(sp.start, sp.end), to: view.to.subarray(sp.start, sp.end) });
  }
  return out;
}

const MAX_DEPTH = 2;
/** Decoded text this long is an instruction channel even without a known phrase: answers carry no base64 prose. */
const DECODED_WORDS_FLAG = 4;
const DECODED_CHARS_FLAG = 20;

/** A spaced-out run read as one word ("ignoretherubric"): these fragments only occur in grader talk. */
const SQUASHED_RE = /ignor|disregard|overrid|rubric|grader|grading|instruction|fullmark|fullscore|fullcredit|fullpoint|perfectscore|maxscore|maximumscore|topscore|topmark|highestscore|systemprompt|evaluator|examiner|deserve|youarenow|pretend|jailbreak|givethis|giveit|giveme|awardthis|previousinstruction|lenient/;
/**
 * Words that make a ROT13 or reversed view worth building (three of them, or it is noise),
 * looked for in their encoded form so the view is only built when it will be scanned.
 */
const ALT_WORDS = 'ignore disregard rubric grader grading instruction instructions marks score grade full give award deserve deserves previous criteria evaluator examiner pretend lenient generous you the this answer'.split(' ');
const rot13 = (w: string) => w.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));
const ROT13_KEYWORDS_RE = new RegExp(String.raw`\b(?:${ALT_WORDS.map(rot13).join('|')})\b`, 'g');
const REVERSED_KEYWORDS_RE = new RegExp(String.raw`\b(?:${ALT_WORDS.map((w) => [...w].reverse().join('')).join('|')})\b`, 'g');
const LEET_WORTH_RE = /ignor|disregard|forget|overrid|rubric|grad|mark|scor|point|full|max|perfect|top|give|award|assign|grant|deserv|merit|previous|prior|instruct|rule|criteri|prompt|system|evaluat|examin|pretend|lenient|generous|you|now|this|answer|candidate|correct|excellent|note|dear|ai|llm|model|assistant|role|mode|credit|pass|rate|all|every|each|the/;
const NON_LATIN_RE = /[\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff\u0900-\u097f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]/;
/** Grader words broken up by punctuation ("ig-nore", "ru.bric"); a keyword that only touches a hyphen ("rubric-based") does not count. */
const BROKEN_KEYWORD_RE = /ignor|disregard|overrid|rubric|grader|grading|instruction|fullmark|systemprompt|evaluator|examiner|jailbreak/g;

/** "System:" or "Assistant:" opening a paragraph is a role tag only when the paragraph talks to the grader. */
const ROLE_PARAGRAPH_RE = /(?:^|\n)[ \t]*(?:#{1,6}[ \t]*)?(?:system|assistant|developer|user|human|ai|grader|evaluator|examiner|admin|administrator|operator|instructions?|gpt|chatgpt|llm)(?:[ \t]+(?:message|prompt|note|notes|instructions?|override))?[ \t]*:[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*/g;
const ROLE_TALKS_TO_GRADER_RE = /\b(?:grader|grading|rubric|full marks|you are now|your (?:task|job|role) is|respond (?:only )?with|reply (?:only )?with|output only|every criterion|each criterion|injection suspected|the candidate deserves)\b/;

const CODE_BLOCK_RE = /```[\s\S]*?(?:```|$)/g;
const JSON_OBJECT_RE = /\{(?:[^{}]|\{[^{}]{0,400}\}){0,1500}\}/g;
const GRADE_KEY_RE = /["']?\b(?:rationale|strengths|gaps|follow ?up|verdict|grades|scores|marks|final ?score|overall ?score|total ?score|injection ?suspected|score ?breakdown|criterion ?scores)\b["']?\s*[:=]/g;
const GRADE_VALUE = String.raw`\s*[:=]\s*["']?(?:(?:[2-9]|[1-9]\d{1,2})(?![\d.])|a\+?(?=["'\s,}])|pass(?:ed)?\b|true\b|full\b|perfect\b|excellent\b|correct\b|4\s*\/\s*4|100\s*\/\s*100)`;
const SCORE_KEY_RE = new RegExp(String.raw`["']?\b(?:score|grade)\b["']?${GRADE_VALUE}`, 'g');
// Keys a grade has but a config may too ("criteria" in an LLM-judge setup): one point each.
const WEAK_KEY_RE = new RegExp(String.raw`["']?\b(?:rating|points|result|pass|passed)\b["']?(?:${GRADE_VALUE}|\s*[:=]\s*(?:\[|"))|["']?\b(?:criteria|evidence|overall|flags)\b["']?\s*[:=]`, 'g');

function count(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s)) n++;
  return n;
}

/** Where a hit ends in the view for extents measured there (section, rest, block). */
function viewEnd(view: View, rule: Rule, end: number): number {
  const t = view.text;
  if (rule.extent === 'rest') return t.length;
  if (rule.extent === 'section') {
    const next = /\n[ \t]*#{1,6}[ \t]/g;
    next.lastIndex = end;
    return next.exec(t)?.index ?? t.length;
  }
  if (rule.until) {
    const until = new RegExp(rule.until.source, 'g');
    until.lastIndex = end;
    const m = until.exec(t);
    return m ? m.index + m[0].length : t.length;
  }
  return t.length;
}

function scan(answer: string, view: View, rules: readonly Rule[], hits: Span[], clauseOnly = false): void {
  const t = view.text;
  for (const rule of rules) {
    // exec on the shared global regex: matchAll would clone it, and clones lose V8's compiled code.
    const re = rule.re;
    re.lastIndex = 0;
    // A hit inside the span this rule just produced adds nothing; skipping it keeps an answer
    // that repeats a phrase thousands of times linear instead of extending every copy.
    let last: Span | undefined;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      if (m[0].length === 0) re.lastIndex++;
      // Patterns anchored at a line start begin with the newline: the hit starts after it.
      const lead = /^\s*/.exec(m[0])![0].length;
      const start = m.index + lead;
      const end = Math.max(start + 1, m.index + m[0].length);
      const core = toOriginal(view, start, end);
      if (last && core.start >= last.start && core.end <= last.end) continue;
      if (rule.directed && !isDirected(t, start)) continue;
      const extent = clauseOnly ? 'clause' : rule.extent;
      let span: Span;
      if (extent === 'section' || extent === 'rest' || extent === 'block') span = toOriginal(view, start, viewEnd(view, rule, end));
      else span = extent === 'clause' ? clauseAround(answer, core) : extent === 'paragraph' ? paragraphFrom(answer, core) : core;
      hits.push(span);
      last = span;
    }
  }
}

/** Three or more fields all set to 4 (or 100): a rubric's worth of top scores, whatever the keys are called. */
function allTopScores(o: string): boolean {
  const values = [...o.matchAll(/["']?[a-z][\w -]{0,40}["']?\s*:\s*["']?(\d+(?:\.\d+)?)/g)].map((v) => v[1]);
  return values.length >= 3 && (values.every((v) => v === '4') || values.every((v) => v === '100'));
}

/** JSON objects shaped like a grade: grading keys, or a score/grade key with a grade-like value (not a 0.93 fraud score). */
function gradeShapedJson(answer: string, view: View, hits: Span[]): void {
  if (!view.text.includes('{')) return;
  for (const m of view.text.matchAll(JSON_OBJECT_RE)) {
    const o = m[0];
    const points = 2 * count(GRADE_KEY_RE, o) + 2 * count(SCORE_KEY_RE, o) + count(WEAK_KEY_RE, o) + (allTopScores(o) ? 2 : 0);
    if (points >= 2) hits.push(toOriginal(view, m.index, m.index + o.length));
  }
}

/** The rubric's own criterion ids given a score ("fraud-metrics": 4): an answer has no reason to use them as keys. */
function criterionScores(answer: string, view: View, ids: readonly string[], hits: Span[]): void {
  const names = ids.map((id) => id.toLowerCase().replace(/_/g, ' ')).filter((id) => id.length >= 3 && view.text.includes(id));
  if (names.length === 0) return;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const re = new RegExp(String.raw`(?:["']|\b)(?:${escaped})["']?\s*[:=]\s*["']?(?:[0-4](?:\s*\/\s*4)?|100|full|max(?:imum)?|perfect)["']?(?=\s*(?:$|[,;}\n.)]))`, 'g');
  for (const m of view.text.matchAll(re)) hits.push(clauseAround(answer, toOriginal(view, m.index, m.index + m[0].length)));
}

/** What the caller knows about the question: its rubric's criterion ids, if any. */
export type InjectionContext = { criterionIds?: readonly string[] };

function detect(answer: string, depth: number, context: InjectionContext): Span[] {
  const hits: Span[] = [];
  const clean = cleanView(answer);
  // Patterns read the base view; spaced-out letters are joined in a second view scanned only
  // around the joined runs, since joining would also fuse JSON such as {"a": 4, "b": 4}.
  const latin = latinBaseView(clean);
  const collapsed = collapseSpaced(latin);

  scan(answer, latin, LATIN_RULES, hits);
  scan(answer, latin, STRUCTURE_RULES, hits);
  gradeShapedJson(answer, latin, hits);
  if (context.criterionIds) criterionScores(answer, latin, context.criterionIds, hits);
  if (collapsed.runs.length > 0) {
    let last: Span | undefined;
    for (const sq of collapsed.squashed) {
      if (!SQUASHED_RE.test(collapsed.view.text.slice(sq.start, sq.end))) continue;
      const core = toOriginal(collapsed.view, sq.start, sq.end);
      if (last && core.start >= last.start && core.end <= last.end) continue;
      hits.push((last = clauseAround(answer, core)));
    }
    for (const w of windows(collapsed.view, collapsed.runs)) scan(answer, w, LATIN_RULES, hits);
  }

  const squeezedText = latin.text.replace(/([a-z])[-.*_·'|/~+:•`](?=[a-z])/g, '$1');
  const squeezed = count(BROKEN_KEYWORD_RE, squeezedText) > count(BROKEN_KEYWORD_RE, latin.text) ? squeezeView(latin) : undefined;
  if (squeezed) {
    let broken = false;
    for (const m of squeezed.view.text.matchAll(BROKEN_KEYWORD_RE)) {
      for (let k = m.index + 1; k < m.index + m[0].length && !broken; k++) broken = squeezed.joins.has(k);
      if (broken) {
        hits.push(clauseAround(answer, toOriginal(squeezed.view, m.index, m.index + m[0].length)));
        break;
      }
    }
    if (broken) scan(answer, squeezed.view, LATIN_RULES, hits);
  }

  const leet = leetView(collapsed.view);
  if (leet) {
    // Technical tokens (f1, p99, k8s, gpt4) change too; only words that become grader talk are worth a look.
    const worth = leet.changed.filter((c) => LEET_WORTH_RE.test(leet.view.text.slice(c.start, c.end)));
    for (const w of windows(leet.view, worth)) scan(answer, w, LATIN_RULES, hits);
  }
  if (count(ROT13_KEYWORDS_RE, latin.text) >= 3) scan(answer, rot13View(latin), ENGLISH_RULES, hits, true);
  if (count(REVERSED_KEYWORDS_RE, latin.text) >= 3) scan(answer, reversedView(latin), ENGLISH_RULES, hits, true);
  if (NON_LATIN_RE.test(clean.text)) scan(answer, collapseSpaced(foldView(clean)).view, SCRIPT_LANGUAGE_RULES, hits);

  if (depth < MAX_DEPTH) {
    for (const blob of decodeBlobs(clean)) {
      const words = blob.text.trim().split(/\s+/).length;
      if ((words >= DECODED_WORDS_FLAG && blob.text.length >= DECODED_CHARS_FLAG) || detect(blob.text, depth + 1, context).length > 0) hits.push(clauseAround(answer, blob.span));
    }
  }

  // Role-tagged paragraphs: flagged when they talk to the grader, and a hit inside takes the whole paragraph.
  const roleParagraphs: Span[] = [];
  for (const m of latin.text.matchAll(ROLE_PARAGRAPH_RE)) {
    const lead = /^\s*/.exec(m[0])![0].length;
    const span = toOriginal(latin, m.index + lead, m.index + m[0].length);
    roleParagraphs.push(span);
    if (ROLE_TALKS_TO_GRADER_RE.test(m[0])) hits.push(span);
  }
  const codeBlocks = [...answer.matchAll(CODE_BLOCK_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  return mergeSpans(widenTo(widenTo(hits, roleParagraphs), codeBlocks));
}

/** Spans of `answer` that try to instruct the grader (merged, in order). */
export function findInjection(answer: string, context: InjectionContext = {}): Span[] {
  return detect(answer, 0, context);
}
