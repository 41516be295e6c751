import type { Config } from '../config.js';
import type { Stores } from './ports.js';
import { openSqliteStores } from './sqlite.js';

/** The storage backend the configuration names: today the SQLite file SPARRING_DB. */
export async function openStores(config: Pick<Config, 'SPARRING_DB'>): Promise<Stores> {
  return openSqliteStores(config.SPARRING_DB);
}
