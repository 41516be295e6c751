import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { migrateStore } from '../store/open.js';

export function dbCommand(): Command {
  const db = new Command('db').description('the database: create it or bring its schema up to date');
  db.command('migrate')
    .description('create or upgrade the schema of the configured database and print its version')
    .addHelpText('after', `
Migrates whichever database is configured: PostgreSQL when SPARRING_DATABASE_URL is set,
otherwise the SQLite file SPARRING_DB (created if missing). Every command migrates on start
anyway; run this ahead of a deployment, or once before starting several bot processes.
Safe to run from several processes at once, and a no-op when the schema is current:

  SPARRING_DATABASE_URL=postgres://sparring:secret@db.internal:5432/sparring sparring db migrate`)
    .action(async () => {
      const status = await migrateStore(loadConfig());
      console.log(`${status.backend} ${status.location}: schema version ${status.version}`);
    });
  return db;
}
