import { loadCatalog, type Catalog } from './content/load.js';
import type { Config } from './config.js';
import { createBot, type Bot } from './core/bot.js';
import type { Grader } from './grading/types.js';
import { createLexicalGrader } from './grading/lexical.js';
import { openDatabase, type Db } from './store/db.js';
import { createPracticeStore } from './store/practice-store.js';
import type { PracticeStore } from './core/ports.js';

export type App = { config: Config; catalog: Catalog; db: Db; store: PracticeStore; grader: Grader; bot: Bot; close(): void };

/** The composition root: the one place that picks implementations and wires them together. */
export function createApp(config: Config, overrides: { db?: Db; grader?: Grader } = {}): App {
  const catalog = loadCatalog(config.SPARRING_CONTENT_DIR);
  const db = overrides.db ?? openDatabase(config.SPARRING_DB);
  const store = createPracticeStore(db);
  const grader = overrides.grader ?? createLexicalGrader();
  const bot = createBot({ catalog, store, grader });
  return { config, catalog, db, store, grader, bot, close: () => db.close() };
}
