import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../support/harness.js';

/** Every interview question and scenario from the seed documents (docs/seeds) that the first library must cover (issue 2). */
const REQUIRED = {
  'fraud-accuracy-paradox': 'technical',
  'training-data-problem': 'behavioral',
  'labeling-budget-pitch': 'behavioral',
  'llm-size-tradeoffs': 'technical',
  'explain-to-nontechnical': 'behavioral',
  'production-drift-diagnosis': 'technical',
  'build-vs-buy': 'technical',
  'production-readiness': 'technical',
  'production-failure-lesson': 'behavioral',
  'performance-drop-pm': 'scenario',
  'map-drop-small-objects': 'scenario',
  'similar-category-confusion': 'scenario',
  'av-near-miss-rca': 'scenario',
  'data-centric-sentiment': 'scenario',
  'visual-search-labeling': 'scenario',
  'realtime-fraud-design': 'scenario',
  'holiday-fraud-incident': 'scenario',
  'resume-bias-audit': 'scenario',
  'churn-concept-drift': 'scenario',
  'churn-dataset-health': 'scenario',
} as const;

/** The facts a scenario is built on, as the seed documents state them. */
const SEED_FACTS: Partial<Record<keyof typeof REQUIRED, string>> = {
  'fraud-accuracy-paradox': 'high accuracy is misleading in imbalanced datasets',
  'map-drop-small-objects': 'mean Average Precision (mAP)',
  'similar-category-confusion': "'laptop sleeves' vs 'tablet cases'",
  'av-near-miss-rca': 'near-miss incident in an autonomous vehicle perception stack',
  'data-centric-sentiment': 'sentiment analysis model has 85% accuracy',
  'visual-search-labeling': 'seed dataset of 10,000 images',
  'realtime-fraud-design': 'real-time (<100ms latency) fraud detection',
  'holiday-fraud-incident': '40% drop in precision',
  'resume-bias-audit': '20% lower callback rate',
  'churn-concept-drift': 'degraded by 30% over two quarters',
  'churn-dataset-health': 'Given a CSV dataset (e.g., customer churn prediction)',
};

const SEEDS = new URL('../../docs/seeds/', import.meta.url);
const seedText = () =>
  readdirSync(SEEDS)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => readFileSync(new URL(name, SEEDS), 'utf8'))
    .join('\n')
    .replace(/\s+/g, ' ');

describe('the library built from the seeds', () => {
  it('is traced to the seed documents kept in the repository', () => {
    const text = seedText();
    for (const [id, fact] of Object.entries(SEED_FACTS)) {
      expect(text, id).toContain(fact);
      expect(catalog().questions.has(id), id).toBe(true);
    }
  });

  it('has every seed question and scenario, of the right kind', () => {
    const found = Object.fromEntries(Object.keys(REQUIRED).map((id) => [id, catalog().questions.get(id)?.kind]));
    expect(found).toEqual(REQUIRED);
  });

  it('grades behavioral questions on STAR (situation, task, action, result) plus their own rubric', () => {
    const star = catalog().rubrics.get('star')!;
    expect(star.criteria.map((c) => c.id)).toEqual(['situation', 'task', 'action', 'result']);
    for (const q of catalog().questions.values()) expect(catalog().rubrics.get(q.rubric)!.kind).toBe('strategy');
  });

  it('gives every rubric criterion 0/2/4 anchors and synonyms, and has red flags such as accuracy alone', () => {
    for (const r of catalog().rubrics.values()) {
      for (const c of r.criteria) expect(c.signals.every((s) => s.terms.length >= 1)).toBe(true);
    }
    const fraud = catalog().rubrics.get(catalog().questions.get('fraud-accuracy-paradox')!.rubric)!;
    expect(fraud.redFlags.some((f) => f.whenAny.includes('accuracy'))).toBe(true);
  });

  it('groups questions into the five skill tracks of the seeds', () => {
    expect(catalog().tracks.size).toBe(5);
    for (const t of catalog().tracks.keys()) expect([...catalog().questions.values()].some((q) => q.track === t)).toBe(true);
  });
});
