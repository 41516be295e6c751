import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { ContentError, defaultContentRoot, formatProblem, loadCatalog } from '../content/load.js';
import { JSON_SCHEMAS } from '../content/schema.js';

/** JSON Schema text for each content file kind, as committed under schema/. */
export function jsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(JSON_SCHEMAS).map(([name, schema]) => [
      name,
      `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`,
    ]),
  );
}

export function contentCommand(): Command {
  const content = new Command('content').description('check, list and describe the content files');

  content
    .command('check')
    .description('validate every content file; problems print as path:line: message')
    .argument('[dir]', 'content root holding scenarios/, rubrics/ and prompts/', defaultContentRoot())
    .action((dir: string) => {
      const root = resolve(dir);
      try {
        const c = loadCatalog(root, { cache: false });
        console.log(`ok: ${c.questions.size} questions, ${c.rubrics.size} rubrics, ${c.tracks.size} tracks, ${c.drills.size} drills, ${c.prompts.size} prompts in ${root}`);
      } catch (err) {
        if (!(err instanceof ContentError)) throw err;
        for (const p of err.problems) console.error(formatProblem(p));
        console.error(`${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in ${root}`);
        process.exitCode = 1;
      }
    });

  content
    .command('list')
    .description('list tracks and question ids')
    .action(() => {
      const c = loadCatalog();
      for (const track of c.tracks.values()) {
        console.log(`${track.id}: ${track.title}`);
        for (const q of [...c.questions.values()].filter((q) => q.track === track.id)) {
          console.log(`  ${q.id}  (${q.kind}, ${q.difficulty}, ${q.competency})`);
        }
      }
    });

  content
    .command('schema')
    .description('write the JSON Schemas editors use to validate the YAML')
    .option('--out <dir>', 'where to write them', join(defaultContentRoot(), 'schema'))
    .action((opts: { out: string }) => {
      mkdirSync(opts.out, { recursive: true });
      for (const [name, text] of Object.entries(jsonSchemas())) writeFileSync(join(opts.out, name), text);
      console.log(`wrote ${Object.keys(JSON_SCHEMAS).length} schemas to ${opts.out}`);
    });

  return content;
}
