import type { Catalog } from '../../content/load.js';
import type { Question } from '../../content/schema.js';
import { UserError } from '../kernel/errors.js';

export type Selection = {
  questionIds: string[];
  tracks: string[];
  competencies: string[];
  difficulties: string[];
  kinds: string[];
  count?: number;
};

export const DEFAULT_SESSION_LENGTH = 3;
export const MAX_SESSION_LENGTH = 20;

const KINDS = ['behavioral', 'technical', 'scenario'];
const DIFFICULTIES = ['beginner', 'intermediate', 'advanced'];

/**
 * Reads `practice` arguments: any mix of question ids, track ids, competencies, difficulties,
 * kinds, and a count (`5` or `--questions 5`). Unknown words are an error that lists what exists,
 * rather than a silently unfiltered session.
 */
export function parseSelection(args: string[], catalog: Pick<Catalog, 'questions' | 'tracks'>): Selection {
  const sel: Selection = { questionIds: [], tracks: [], competencies: [], difficulties: [], kinds: [] };
  const competencies = new Set([...catalog.questions.values()].map((q) => q.competency));
  const words = args.flatMap((a) => a.split(/[\s,]+/)).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.toLowerCase();
    const countText = word === '--questions' || word === '-n' ? words[++i] : /^\d+$/.test(word) ? word : undefined;
    if (countText !== undefined) {
      const n = Number(countText);
      if (!Number.isInteger(n) || n < 1 || n > MAX_SESSION_LENGTH) {
        throw new UserError(`The number of questions must be between 1 and ${MAX_SESSION_LENGTH}.`);
      }
      sel.count = n;
    } else if (catalog.questions.has(word)) sel.questionIds.push(word);
    else if (catalog.tracks.has(word)) sel.tracks.push(word);
    else if (competencies.has(word)) sel.competencies.push(word);
    else if (DIFFICULTIES.includes(word)) sel.difficulties.push(word);
    else if (KINDS.includes(word)) sel.kinds.push(word);
    else {
      throw new UserError(
        `I don't know "${words[i]}". Use a track (${[...catalog.tracks.keys()].join(', ')}), ` +
          `a competency, a difficulty (${DIFFICULTIES.join(', ')}), a kind (${KINDS.join(', ')}) or a question id ` +
          `(see "sparring content list").`,
      );
    }
  }
  return sel;
}

/** Stable per-string number, so ties break the same way for the same user and session. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Plans a session. Named questions come first, in the order given. Otherwise questions the
 * user has never seen come before ones seen long ago, and the pick alternates kinds and tracks
 * so a default session is a mix (behavioral, technical, scenario) rather than three of a kind.
 */
export function planSession(
  sel: Selection,
  catalog: Pick<Catalog, 'questions'>,
  lastAsked: Map<string, number>,
  salt: string,
): string[] {
  if (sel.questionIds.length > 0) return [...new Set(sel.questionIds)];
  const count = sel.count ?? DEFAULT_SESSION_LENGTH;
  const matches = (q: Question) =>
    (sel.tracks.length === 0 || sel.tracks.includes(q.track)) &&
    (sel.competencies.length === 0 || sel.competencies.includes(q.competency)) &&
    (sel.difficulties.length === 0 || sel.difficulties.includes(q.difficulty)) &&
    (sel.kinds.length === 0 || sel.kinds.includes(q.kind));
  const pool = [...catalog.questions.values()]
    .filter(matches)
    .sort((a, b) => (lastAsked.get(a.id) ?? 0) - (lastAsked.get(b.id) ?? 0) || hash(salt + a.id) - hash(salt + b.id));
  if (pool.length === 0) throw new UserError('No question matches that choice. Try "practice" alone for a mix.');

  const plan: Question[] = [];
  while (plan.length < Math.min(count, pool.length)) {
    const last = plan.at(-1);
    const fresh = pool.filter((q) => !plan.includes(q));
    // Prefer a different kind and track from the previous pick; fall back to the next in line.
    const next =
      fresh.find((q) => !last || (q.kind !== last.kind && q.track !== last.track)) ??
      fresh.find((q) => !last || q.kind !== last.kind) ??
      fresh[0]!;
    plan.push(next);
  }
  return plan.map((q) => q.id);
}
