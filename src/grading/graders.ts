import type { Config } from '../config.js';
import type { Catalog } from '../content/load.js';
import { offlineGraders, type Graders } from './offline.js';

export type { Graders } from './offline.js';

/**
 * The graders for the configured provider. LangChain is imported only when a model is
 * configured (factory.ts): it costs most of a second at start-up, which offline commands never pay.
 */
export async function loadGraders(config: Config, catalog: Pick<Catalog, 'prompts'>): Promise<Graders> {
  if (config.LLM_PROVIDER === 'offline') return offlineGraders();
  const { createGraders } = await import('./factory.js');
  return createGraders(config, catalog);
}
