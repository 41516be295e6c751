/**
 * The lexical grader's feedback in sentences a candidate reads: rubric signal labels ("Names the
 * class imbalance", "the PR curve") turned into "You named the class imbalance and covered the PR
 * curve." and "Missing: ...".
 */

/** "a, b and c" */
export const list = (xs: string[], and = 'and') => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${and} ${xs[xs.length - 1]}`);

/**
 * Signal labels are short phrases: usually noun phrases or gerunds ("the class imbalance",
 * "reproducing the failure"), sometimes a third-person verb phrase ("Names the class
 * imbalance"). These helpers turn them into feedback that reads as a sentence.
 */
const IRREGULAR_PAST: Record<string, string> = {
  give: 'gave', take: 'took', set: 'set', put: 'put', show: 'showed', choose: 'chose', make: 'made', bring: 'brought',
  keep: 'kept', find: 'found', run: 'ran', write: 'wrote', tell: 'told', say: 'said', think: 'thought', weigh: 'weighed',
  build: 'built', lead: 'led', split: 'split', spell: 'spelled', get: 'got', hold: 'held', draw: 'drew', cut: 'cut',
};
const VERB_S = /^(?:names|looks|compares|explains|mentions|uses|checks|gives|describes|identifies|proposes|considers|sets|picks|states|quantifies|discusses|suggests|asks|defines|notes|covers|shows|links|ties|weighs|separates|distinguishes|recommends|chooses|plans|monitors|tracks|measures|tests|validates|includes|estimates|argues|admits|owns|reflects|calls|acknowledges|recognises|recognizes|questions|splits|keeps|adds|avoids|builds|makes|takes|puts|finds|runs|writes|tells|says|thinks|spells|offers|handles|prioritises|prioritizes|quotes|cites|lists|raises|flags|treats|frames|connects|relates|reports|summarises|summarizes|justifies|specifies|outlines|sketches|proves|confirms|communicates|involves|escalates|documents|automates|reviews|investigates|isolates|reproduces|fixes|prevents)$/i;

function verbBase(v: string): string {
  const w = v.toLowerCase();
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(?:ss|sh|ch|x|z|o)es$/.test(w)) return w.slice(0, -2);
  return w.slice(0, -1);
}
function past(base: string): string {
  if (IRREGULAR_PAST[base]) return IRREGULAR_PAST[base]!;
  if (/e$/.test(base)) return base + 'd';
  if (/[^aeiou]y$/.test(base)) return base.slice(0, -1) + 'ied';
  return base + 'ed';
}
function gerund(base: string): string {
  if (base === 'set' || base === 'put' || base === 'cut' || base === 'run' || base === 'split') return base + base.slice(-1) + 'ing';
  if (/ie$/.test(base)) return base.slice(0, -2) + 'ying';
  if (/[^e]e$/.test(base)) return base.slice(0, -1) + 'ing';
  return base + 'ing';
}
/** Lower-cases the first letter unless the word looks like an acronym or a name ("PR", "SQL", "iOS"). */
export function lowerFirst(s: string): string {
  const first = s.split(/\s/, 1)[0] ?? '';
  if (/^[A-Z][A-Z0-9]/.test(first) || /[A-Z]/.test(first.slice(1))) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}
function splitVerb(label: string): { base: string; rest: string } | undefined {
  const m = /^(\S+)\s+(.+)$/.exec(label.trim());
  if (!m || !VERB_S.test(m[1]!)) return undefined;
  return { base: verbBase(m[1]!), rest: m[2]! };
}
/** "You named the class imbalance and covered the PR curve." */
export function coveredSentence(labels: string[]): string {
  const parts: string[] = [];
  const nouns: string[] = [];
  for (const l of labels) {
    const v = splitVerb(l);
    if (v) parts.push(`${past(v.base)} ${v.rest}`);
    else nouns.push(lowerFirst(l.trim()));
  }
  if (nouns.length > 0) parts.push(`covered ${list(nouns)}`);
  return `You ${list(parts)}.`;
}
/** "comparing with a baseline", "the PR curve" */
export function missingPhrase(label: string): string {
  const v = splitVerb(label);
  return v ? `${gerund(v.base)} ${v.rest}` : lowerFirst(label.trim());
}
/** "Missing: comparing with a baseline and the PR curve." */
export function missingSentence(labels: string[]): string {
  return `Missing: ${list(labels.map(missingPhrase))}.`;
}
