import type { CriterionGrade, Grade, GradingTarget, StarPart } from '../../core/kernel/grading.js';
import type { AnswerIndex } from './match.js';
import type { Span } from './text.js';

/**
 * Cue patterns for the parts of a STAR story, used beside the STAR rubric's own signals.
 * `action` prefers sentences where the speaker says what *they* did ("I ...").
 */
const CUES: Record<StarPart, RegExp> = {
  situation: /\b(?:when I was|at my (?:last|previous|current) (?:job|company|role|team)|(?:last|this|one) (?:year|quarter|month|summer)|we had|our (?:team|model|system|service|pipeline)|there was|the situation|context was|background|at [A-Z][a-z]+,|in my (?:last|previous|current) role|while working)\b/i,
  task: /\b(?:my (?:task|job|role|goal|responsibility|responsibilities) was|I was (?:responsible|asked|tasked|in charge)|the (?:goal|task|objective|challenge) was|I (?:needed|had) to|we needed to|needed to|had to|the aim was|my objective)\b/i,
  action: /\b(?:I|I've|I'd)\s+(?:then\s+|first\s+|also\s+|quickly\s+|personally\s+)?(?:\w+ed|built|wrote|led|ran|set|made|took|chose|began|drove|found|brought|put|sent|spoke|met|gave|did|kept|held|rewrote|drew|dug|sought|taught|proposed|decided|implement\w*|creat\w*|design\w*|analy[sz]\w*|investigat\w*|reach\w*|start\w*|organi[sz]\w*|work\w*)\b/i,
  result: /\b(?:as a result|result(?:ed|s)? (?:in|was)|the (?:outcome|result|impact) was|(?:reduc|increas|improv|cut|sav|lower|rais|boost|dropp|grew|decreas)\w*\b[^.\n]{0,40}\d|\d+(?:\.\d+)?\s?%|in the end|ultimately|eventually|we (?:shipped|launched|delivered|hit|met)|I learned|lesson(?:s)? (?:learned|was))\b/i,
};

const WE_ACTION = /\b(?:we|our team|the team)\s+(?:then\s+)?(?:\w+ed|built|wrote|led|ran|set|made|took|chose|decided)\b/i;

export type StarDetection = { present: boolean; span?: Span; firstPerson?: boolean };

export function detectStar(text: string, ix: AnswerIndex): Record<StarPart, StarDetection> {
  const out = {} as Record<StarPart, StarDetection>;
  for (const part of Object.keys(CUES) as StarPart[]) {
    const re = CUES[part];
    const span = ix.sentences.find((s) => re.test(text.slice(s.start, s.end)));
    if (part === 'action') {
      if (span) out.action = { present: true, span, firstPerson: true };
      else {
        const we = ix.sentences.find((s) => WE_ACTION.test(text.slice(s.start, s.end)));
        out.action = we ? { present: true, span: we, firstPerson: false } : { present: false };
      }
    } else out[part] = span ? { present: true, span } : { present: false };
  }
  return out;
}

export function mentionsFirstPerson(sentence: string): boolean {
  return /\b(?:I|I'm|I've|I'd|my|me)\b/.test(sentence);
}

/**
 * The `star` block of a grade, and the STAR criteria adjusted by cue detection: an action told
 * only as "we" is capped at 2, and a part the rubric's signals missed but a cue found earns 1.
 * `graded` holds the criteria grades of the answer; those of STAR parts are updated in place.
 */
export function starBlock(answer: string, text: string, ix: AnswerIndex, target: GradingTarget, graded: CriterionGrade[]): NonNullable<Grade['star']> {
  const cues = detectStar(text, ix);
  const star = {} as NonNullable<Grade['star']>;
  for (const part of ['situation', 'task', 'action', 'result'] as StarPart[]) {
    const critId = target.starCriteria?.[part];
    const g = critId ? graded.find((x) => x.id === critId) : undefined;
    const cue = cues[part];
    let evidence = g?.evidence[0];
    if (part === 'action') {
      // Prefer a sentence where the speaker says what they did.
      const own = g?.evidence.find(mentionsFirstPerson);
      if (own) evidence = own;
      else if (cue.present && cue.firstPerson && cue.span) evidence = answer.slice(cue.span.start, cue.span.end);
      const firstPerson = evidence !== undefined && mentionsFirstPerson(evidence);
      if (g && g.score > 2 && !firstPerson) {
        g.score = 2;
        g.rationale += ' Say what you did yourself ("I ..."), not only what the team did.';
      }
    }
    if (evidence === undefined && cue.present && cue.span) evidence = answer.slice(cue.span.start, cue.span.end);
    const present = (g?.score ?? 0) > 0 || cue.present;
    if (g && g.score === 0 && cue.present && evidence !== undefined) {
      g.score = 1;
      g.evidence = [evidence];
      g.rationale = `Touches on the ${part}, without the specifics the rubric looks for.`;
    }
    star[part] = evidence !== undefined && present ? { present, evidence } : { present };
  }
  return star;
}
