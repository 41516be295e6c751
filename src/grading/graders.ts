import type { Config } from '../config.js';
import type { Catalog } from '../content/load.js';
import { createLexicalDrillMatcher } from './lexical/drill-matcher.js';
import type { Graders } from './factory.js';
import { createLexicalGrader } from './lexical/grader.js';

/** The graders with no model: the lexical grader, authored probes and hints, lexical drill matching. */
export function offlineGraders(): Graders {
  return { grader: createLexicalGrader(), drillMatcher: createLexicalDrillMatcher(), describe: 'offline: lexical grader, authored probes and hints' };
}

/**
 * The graders for the configured provider. LangChain is imported only when a model is
 * configured: it costs most of a second at start-up, which offline commands never pay.
 */
export async function loadGraders(config: Config, catalog: Pick<Catalog, 'prompts'>): Promise<Graders> {
  if (config.LLM_PROVIDER === 'offline') return offlineGraders();
  const { createGraders } = await import('./factory.js');
  return createGraders(config, catalog);
}
