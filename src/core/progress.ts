import type { Catalog } from '../content/load.js';
import type { HistoryEntry, PracticeStore } from './ports.js';

export type CompetencyProgress = { competency: string; average: number; answered: number };

export type ProgressView = {
  recent: HistoryEntry[];
  /** Weakest first, so the top of the list is what to practise next. */
  competencies: CompetencyProgress[];
  weakest?: CompetencyProgress;
  answered: number;
};

/** A user's standing, per competency; shown by `progress` and by Slack's App Home. */
export function progressOf(store: PracticeStore, catalog: Pick<Catalog, 'questions'>, userId: number, recent = 5): ProgressView {
  const by = new Map<string, { sum: number; n: number }>();
  for (const s of store.questionScores(userId)) {
    const competency = catalog.questions.get(s.questionId)?.competency;
    if (!competency) continue;
    const acc = by.get(competency) ?? { sum: 0, n: 0 };
    acc.sum += s.average * s.count;
    acc.n += s.count;
    by.set(competency, acc);
  }
  const competencies = [...by.entries()]
    .map(([competency, { sum, n }]) => ({ competency, average: sum / n, answered: n }))
    .sort((a, b) => a.average - b.average || a.competency.localeCompare(b.competency));
  return {
    recent: store.history(userId, recent),
    competencies,
    weakest: competencies[0],
    answered: competencies.reduce((n, c) => n + c.answered, 0),
  };
}
