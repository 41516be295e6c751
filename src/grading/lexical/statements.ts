import verbsJson from './model/verbs.json' with { type: 'json' };
import { sentenceSpans, tokenize, type Span, type Token } from './text.js';

/**
 * Which sentences of an answer make a statement: a clause with a verb in it ("I would compare
 * recall against a baseline", "Precision dropped"), as opposed to a list of terms ("baseline,
 * recall, PR curve"). Rubric signals earn credit only inside statements, so naming the rubric's
 * words is not the same as saying something with them.
 *
 * Many domain words can be nouns or verbs ("recall", "monitor", "drift"), so a verb-capable word
 * counts only where English grammar puts a verb: after a subject pronoun, a modal or "to";
 * before an object or a preposition; or as a past form after its subject.
 */

const VERBS = new Set(verbsJson.words.split(' '));
const FINITE = new Set(verbsJson.finite.split(' '));

/** Auxiliaries, copulas and modals (with their contractions): their presence alone makes a clause. */
const AUX = new Set(
  `am is are was were be been being has have had having do does did will would shall should can could may might must
  cannot dont doesnt didnt cant wont isnt arent wasnt werent couldnt shouldnt wouldnt im ive
  isn't aren't wasn't weren't don't doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't
  mustn't it's that's i'm we're they're you're he's she's there's what's i've we've they've you've i'll we'll you'll
  they'll it'll that'll i'd we'd they'd you'd he'd she'd`.split(/\s+/),
);
const SUBJECTS = new Set('i we you they he she it this that these those there who which'.split(' '));
const LEADS = new Set('to and or then also first next finally just always never often only so but'.split(' '));
/** Words that begin an object or a complement: a verb-capable word before one is acting as a verb. */
const OBJECT_START = new Set(
  `the a an this that these those my our your their its his her some any each every all both no more most few many
  much several it them him us me what which whether how why where when if against with for from by into on at in
  about over under between through across toward towards without up down out off back than as`.split(/\s+/),
);

/** The verb form's base is a verb ("predicts", "dropped", "retraining", "relies"). */
export function canBeVerb(w: string): boolean {
  if (VERBS.has(w)) return true;
  const bases: string[] = [];
  if (w.endsWith('ies')) bases.push(w.slice(0, -3) + 'y');
  if (w.endsWith('es')) bases.push(w.slice(0, -2));
  if (w.endsWith('s')) bases.push(w.slice(0, -1));
  if (w.endsWith('ied')) bases.push(w.slice(0, -3) + 'y');
  if (w.endsWith('ed')) bases.push(w.slice(0, -2), w.slice(0, -1), w.slice(0, -3));
  if (w.endsWith('ing')) bases.push(w.slice(0, -3), w.slice(0, -3) + 'e', w.slice(0, -4));
  return bases.some((b) => b.length >= 2 && VERBS.has(b)) || VERB_SUFFIX.test(w);
}

/** Verb-forming endings, for verbs the lexicon lacks ("simulates", "operationalize", "quantified"). */
const VERB_SUFFIX = /(?:[aeiou][a-z]ate|[a-z]{3}i[sz]e|ify)(?:s|d|ing)?$|[a-z]{3}ifies$|[a-z]{3}ified$/;

const isWord = (t: Token) => /\p{L}/u.test(t.norm);

/** "of" after a noun-or-verb word is a noun phrase far more often ("cost of errors") than a verb's object. */
const NOT_AN_OBJECT = 'of';

/** The words of one clause make a statement (see above). */
export function isStatement(words: Token[]): boolean {
  if (words.length < 2) return false;
  // An instruction opening the clause: "Slice mAP by object size", "Switching scoring to RB-2".
  const lead = words.findIndex((t) => !LEADS.has(t.norm));
  if (lead >= 0 && canBeVerb(words[lead]!.norm) && words.length - lead >= 3 && words.slice(lead + 1).some((t) => (OBJECT_START.has(t.norm) || t.norm === 'to') && t.norm !== NOT_AN_OBJECT)) return true;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.norm;
    if (AUX.has(w)) return true;
    if (!canBeVerb(w)) continue;
    const prev = words[i - 1]?.norm;
    const next = words[i + 1]?.norm;
    if (prev !== undefined && (SUBJECTS.has(prev) || AUX.has(prev))) return true;
    if (prev === 'to' && next !== undefined) return true;
    if (next !== undefined && OBJECT_START.has(next) && (prev === undefined || LEADS.has(prev) || !VERBS.has(prev))) {
      // "compare against a baseline", "monitor the PSI", "the model ignores the minority class".
      return true;
    }
    // "precision dropped", "the model overfits": a finite form after a noun, followed by more words or a full stop.
    const finite = /ed$/.test(w) || (FINITE.has(w) && !w.endsWith('s')) || (/s$/.test(w) && !/(?:ss|us|is)$/.test(w) && next !== undefined);
    // The subject may itself be a verb-capable noun after a determiner ("the test set stays").
    const nounBefore = prev !== undefined && !OBJECT_START.has(prev) && (!canBeVerb(prev) || OBJECT_START.has(words[i - 2]?.norm ?? ''));
    if (finite && nounBefore) return true;
  }
  return false;
}

export type Sentence = Span & {
  statement: boolean;
  words: number;
  /** The parts of the sentence where what is said earns credit (all of it, unless it is mostly a list). */
  credited: Span[];
  /** Comma-separated items of a few words that say nothing by themselves ("recall", "PR curve"). */
  listItems: number;
};

/** A change written as an arrow between figures ("card testing 4% -> 27%") reads as "rose to". */
const ARROW = /\d\s*%?\s*(?:->|→|=>)\s*\$?\d/;

const SEGMENT_RE = /[,;:()/•|]|\s[-–—]\s|\s\+\s/g;
/** A short enumeration inside a sentence is normal English; more items than this is a dump of terms. */
const MAX_LIST_ITEMS = 3;
const FRAGMENT_WORDS = 3;
const MIN_FRAGMENT_RUN = 6;

function segments(text: string, s: Span): Span[] {
  const out: Span[] = [];
  let from = s.start;
  for (const m of text.slice(s.start, s.end).matchAll(SEGMENT_RE)) {
    out.push({ start: from, end: s.start + m.index });
    from = s.start + m.index + m[0].length;
  }
  out.push({ start: from, end: s.end });
  return out;
}

/** Sentence-or-line spans of `text`, each marked as a statement or not, with the parts that earn credit. */
export function statementSpans(text: string): Sentence[] {
  return sentenceSpans(text).map((s) => {
    const words = tokenize(text.slice(s.start, s.end)).filter(isWord);
    // Each clause is judged on its own words, so an item of a list never lends its neighbour a verb.
    const segs = segments(text, s).map((g) => {
      const w = tokenize(text.slice(g.start, g.end)).filter(isWord);
      return { ...g, words: w.length, statement: (w.length > 0 && isStatement(w)) || ARROW.test(text.slice(g.start, g.end)) };
    });
    const statement = segs.some((g) => g.statement);
    const listItems = segs.filter((g) => !g.statement && g.words > 0 && g.words <= 4).length;
    // A run of many two- or three-word pieces is a list even when each has a verb ("I owned; I missed; I fixed").
    const fragments = segs.filter((g) => g.words > 0 && g.words <= FRAGMENT_WORDS).length;
    const fragmented = segs.length >= MIN_FRAGMENT_RUN && fragments >= 0.7 * segs.length;
    const listLike = fragmented || (segs.length >= 3 && listItems > MAX_LIST_ITEMS && listItems >= 0.6 * segs.length);
    const credited = !statement
      ? []
      : listLike
        ? segs.filter((g) => g.statement && g.words > FRAGMENT_WORDS).map(({ start, end }) => ({ start, end }))
        : [{ start: s.start, end: s.end }];
    return { ...s, statement, words: words.length, credited, listItems: fragmented ? Math.max(listItems, fragments) : listItems };
  });
}
