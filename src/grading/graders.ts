import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../config.js';
import type { Catalog } from '../content/load.js';
import type { DrillMatcher } from '../core/drill/ports.js';
import type { Interviewer } from '../core/kernel/interviewer.js';
import { createLexicalDrillMatcher } from './lexical/drill-matcher.js';
import { createLexicalGrader } from './lexical/grader.js';
import type { Grader } from './types.js';

// Declared here rather than beside createGraders: factory.ts imports this module, and this one
// loads factory.ts only lazily (it pulls in LangChain), so the two never import each other.
export type Graders = {
  grader: Grader;
  /** Undefined offline: the bot then uses the authored interviewer. */
  interviewer?: Interviewer;
  /** Judges which expected drill actions a message shows: lexical offline, the LLM with a model. */
  drillMatcher: DrillMatcher;
  /** One line for start-up logs and `doctor`, e.g. "LLM openai:gpt-4o-mini at https://..., lexical fallback". */
  describe: string;
  model?: BaseChatModel;
};

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
