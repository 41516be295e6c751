import { loadCatalog } from '../content/load.js';
import { measureSessions } from './run.js';

// Run by `sparring bench` in a process of its own, so the RSS it reports is a session server's alone.
const [dir, sessions] = process.argv.slice(2);
const mb = await measureSessions(loadCatalog(), dir!, Number(sessions));
process.stdout.write(`${mb}\n`);
