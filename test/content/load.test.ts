import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, formatProblem, loadCatalog } from '../../src/content/load.js';
import { jsonSchemas } from '../../src/cli/content.js';

/** A copy of the shipped content to break on purpose. */
function contentCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-content-'));
  for (const sub of ['scenarios', 'rubrics', 'prompts']) cpSync(sub, join(dir, sub), { recursive: true });
  return dir;
}

function problems(dir: string): string[] {
  try {
    loadCatalog(dir, { cache: false });
  } catch (err) {
    if (err instanceof ContentError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

/** The same through the cache of validated files, as the bot loads content. */
function cachedProblems(dir: string): string[] {
  try {
    loadCatalog(dir);
  } catch (err) {
    if (err instanceof ContentError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

const anyQuestionFile = (dir: string) => {
  const id = [...loadCatalog(dir).questions.keys()][0]!;
  return { id, file: join(dir, 'scenarios', 'questions', `${id}.yaml`), rel: `scenarios/questions/${id}.yaml` };
};

describe('content loading', () => {
  it('loads the shipped content without problems', () => {
    expect(problems(process.cwd())).toEqual([]);
  });

  it('reads unchanged files from its cache, re-validates changed ones and still places every problem on its line', () => {
    const dir = contentCopy();
    expect(cachedProblems(dir)).toEqual([]);
    expect(cachedProblems(dir)).toEqual([]);
    const { file, rel } = anyQuestionFile(dir);
    const lines = readFileSync(file, 'utf8').split('\n');
    const trackLine = lines.findIndex((l) => l.startsWith('track:'));
    const track = lines[trackLine]!.slice('track:'.length).trim();
    // The question is unchanged (served from the cache); the track it names is renamed.
    const tracks = join(dir, 'scenarios', 'tracks.yaml');
    writeFileSync(tracks, readFileSync(tracks, 'utf8').replace(new RegExp(`id: ${track}$`, 'm'), 'id: renamed-track'));
    expect(cachedProblems(dir)).toContain(`${rel}:${trackLine + 1}: unknown track "${track}"`);
    // A changed question is validated again, not served from the cache.
    const at = lines.findIndex((l) => l.startsWith('difficulty:'));
    lines[at] = 'difficulty: 7';
    writeFileSync(file, lines.join('\n'));
    expect(cachedProblems(dir)).toContainEqual(expect.stringMatching(new RegExp(`^${rel}:${at + 1}: difficulty: `)));
  });

  it('points at the line of a value with the wrong type', () => {
    const dir = contentCopy();
    const { file, rel } = anyQuestionFile(dir);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('difficulty:'));
    lines[at] = 'difficulty: 7';
    writeFileSync(file, lines.join('\n'));
    expect(problems(dir)).toEqual([expect.stringMatching(new RegExp(`^${rel}:${at + 1}: difficulty: `))]);
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = contentCopy();
    const { file, rel } = anyQuestionFile(dir);
    writeFileSync(file, 'id: broken\nprompt: "unterminated\n');
    expect(problems(dir)[0]).toMatch(new RegExp(`^${rel}:\\d+: YAML: `));
  });

  it('reports an alias to nothing with its line', () => {
    const dir = contentCopy();
    const { file, rel } = anyQuestionFile(dir);
    writeFileSync(file, readFileSync(file, 'utf8') + '\nextra: *nowhere\n');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(problems(dir)).toEqual([expect.stringMatching(new RegExp(`^${rel}:${lines.indexOf('extra: *nowhere') + 1}: YAML: `))]);
  });

  it('catches references to rubrics, tracks and criteria that do not exist', () => {
    const dir = contentCopy();
    const { file, rel } = anyQuestionFile(dir);
    let text = readFileSync(file, 'utf8');
    text = text.replace(/^rubric: .*$/m, 'rubric: no-such-rubric').replace(/^track: .*$/m, 'track: no-such-track');
    writeFileSync(file, text);
    const found = problems(dir);
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^${rel}:\\d+: unknown rubric "no-such-rubric"`)));
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^${rel}:\\d+: unknown track "no-such-track"`)));
  });

  it('rejects unknown keys, so a typo does not silently drop a field', () => {
    const dir = contentCopy();
    const { file, rel } = anyQuestionFile(dir);
    writeFileSync(file, readFileSync(file, 'utf8') + '\nhnts: [oops]\n');
    expect(problems(dir)).toContainEqual(expect.stringMatching(new RegExp(`^${rel}:\\d+: .*hnts`)));
  });

  it('keeps the committed JSON Schemas in step with the zod schemas', () => {
    for (const [name, text] of Object.entries(jsonSchemas())) {
      expect(readFileSync(join('schema', name), 'utf8'), `schema/${name} is stale: run npm run schema`).toBe(text);
    }
  });

  it('points every content file at its JSON Schema for editors', () => {
    const catalog = loadCatalog();
    for (const id of catalog.questions.keys()) {
      expect(readFileSync(join('scenarios', 'questions', `${id}.yaml`), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/question\.schema\.json/);
    }
  });
});
