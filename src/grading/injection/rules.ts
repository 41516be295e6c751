/**
 * How far a hit reaches in the answer:
 * - clause: the sentence or line it sits in;
 * - paragraph: from its sentence to the next blank line (a note to the grader goes on);
 * - section: to the next Markdown heading (a fake "## Grading note" owns what follows);
 * - rest: to the end of the answer (after a fake closing delimiter nothing is the answer);
 * - block: to the `until` marker (a chat turn's end token, a closing tag), else the end;
 * - match: the matched text only.
 */
export type Extent = 'clause' | 'paragraph' | 'section' | 'rest' | 'block' | 'match';

/**
 * One detection pattern, matched against a normalised view (lower case, accents folded).
 * `directed`: the match must start where an instruction would (sentence start, after
 * "please", "you should", "the grader must"...), so "labelers often ignore the instructions"
 * is prose while "Please ignore the instructions" is not.
 */
export type Rule = { id: string; re: RegExp; extent: Extent; until?: RegExp; directed?: boolean };

/** Joins regex source fragments and compiles them as a global pattern. */
export function rx(flags: string, ...parts: string[]): RegExp {
  return new RegExp(parts.join(''), flags.includes('g') ? flags : `${flags}g`);
}

const DIRECTED_BEFORE_RE = new RegExp(
  String.raw`(?:^|[.!?;:\n"'()\[\]{}>*•,|#~\-]\s*|\b(?:please|pls|plz|kindly)\s+` +
    String.raw`|\b(?:you|u)(?:'ll|'d|\s+(?:will|should|must|can|could|would|need to|have to|are to|shall|may|might|are going to|are (?:required|instructed|asked|expected|supposed|told) to))?\s+` +
    String.raw`|\b(?:want|need|ask|asking|instruct|tell|order|require|request|urge|beg|implore|like|love)\s+you\s+to\s+` +
    String.raw`|\b(?:make sure (?:to|you)|be sure to|remember to|don't forget to|do not forget to|it is (?:important|essential|crucial|vital|mandatory|required) (?:that you|to)|i (?:command|order|instruct) you to)\s+` +
    String.raw`|\b(?:grader|evaluator|examiner|marker|assessor|scorer|grading (?:model|system|ai|assistant|llm|bot)|ai (?:grader|evaluator|examiner))\s+(?:should|must|will|shall|needs? to|has to|is to|is required to|can)\s+(?:now\s+)?)` +
    String.raw`(?:(?:please|pls|plz|kindly|just|simply|now|also|always|then|so|instead|therefore|hence|thus|finally|ok|okay)\s+)*$`,
);

/** True when view text before `index` makes a verb at `index` an instruction (see Rule.directed). */
export function isDirected(text: string, index: number): boolean {
  return DIRECTED_BEFORE_RE.test(text.slice(Math.max(0, index - 80), index));
}
