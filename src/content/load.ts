import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isMap, isSeq, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { openFileCache, type FileCache } from './cache.js';
import {
  DrillSchema,
  QuestionSchema,
  RubricSchema,
  STAR_RUBRIC_ID,
  TracksFileSchema,
  type Drill,
  type Question,
  type Rubric,
  type Track,
} from './schema.js';

export type Catalog = {
  root: string;
  tracks: Map<string, Track>;
  questions: Map<string, Question>;
  rubrics: Map<string, Rubric>;
  drills: Map<string, Drill>;
  /** Prompt templates by file name without `.md`. */
  prompts: Map<string, string>;
};

export type ContentProblem = { file: string; line: number; message: string };

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ContentError';
  }
}

export const formatProblem = (p: ContentProblem): string => `${p.file}:${p.line}: ${p.message}`;

/** The content shipped with the package: the repository root, one level above src/ or dist/. */
export const defaultContentRoot = (): string => fileURLToPath(new URL('../..', import.meta.url));

type Parsed<T> = { value: T; file: string; lineOf: (path: PropertyKey[]) => number };

function listYaml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return listYaml(full);
      return /\.ya?ml$/.test(entry.name) ? [full] : [];
    })
    .sort();
}

function lineFinder(doc: ReturnType<typeof parseDocument>, counter: LineCounter) {
  return (path: PropertyKey[]): number => {
    // Walk as deep as the path goes; an issue about a missing key points at its parent.
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const key of path) {
      if (isMap(node)) node = node.items.find((pair) => (pair.key as { value?: unknown })?.value === key)?.value;
      else if (isSeq(node) && typeof key === 'number') node = node.items[key];
      else break;
      const range = (node as Node | undefined)?.range;
      if (!range) break;
      offset = range[0];
    }
    return counter.linePos(offset).line;
  };
}

/** Where the first alias with no anchor before it is. */
function unresolvedAlias(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return undefined;
      at = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return at;
}

/** Positions for a file whose value came from the cache: parsed only if a problem needs a line. */
function lazyLineFinder(text: string): (path: PropertyKey[]) => number {
  let find: ((path: PropertyKey[]) => number) | undefined;
  return (path) => {
    if (!find) {
      const counter = new LineCounter();
      find = lineFinder(parseDocument(text, { lineCounter: counter, prettyErrors: false }), counter);
    }
    return find(path);
  };
}

function parseFile<S extends z.ZodType>(
  file: string,
  root: string,
  schema: S,
  problems: ContentProblem[],
  cache: FileCache | undefined,
): Parsed<z.infer<S>> | undefined {
  const rel = relative(root, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file: rel, line: 1, message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  const cached = cache?.get(rel, text);
  if (cached !== undefined) return { value: cached as z.infer<S>, file: rel, lineOf: lazyLineFinder(text) };
  // One parse that keeps every node's position, so a problem can be placed on its line.
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push({ file: rel, line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // Parsed but not convertible: an alias to an anchor that is not set before it, say.
    problems.push({ file: rel, line: counter.linePos(unresolvedAlias(doc) ?? 0).line, message: `YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
  const lineOf = lineFinder(doc, counter);
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      problems.push({ file: rel, line: lineOf(issue.path), message: `${where}${issue.message}` });
    }
    return undefined;
  }
  cache?.set(rel, text, result.data);
  return { value: result.data, file: rel, lineOf };
}

/**
 * Loads and cross-checks every content file under `root` (scenarios/, rubrics/, prompts/).
 * All problems are collected before throwing, so an author fixes a file in one pass; the bot
 * refuses to start with broken content rather than half-loading it. A file that validated before
 * and has not changed since is read from a cache (see cache.ts), since parsing YAML dominates
 * start-up; `cache: false` parses everything.
 */
export function loadCatalog(root: string = defaultContentRoot(), opts: { cache?: boolean } = {}): Catalog {
  if (opts.cache === false || !existsSync(root)) return parseCatalog(root, undefined);
  const cache = openFileCache(root);
  try {
    return parseCatalog(root, cache);
  } finally {
    cache.save();
  }
}

/** What each part of the reading shares: the catalog so far, the problems so far, the file cache. */
type Reading = { root: string; catalog: Catalog; problems: ContentProblem[]; cache: FileCache | undefined };

function parseCatalog(root: string, cache: FileCache | undefined): Catalog {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ContentError([{ file: root, line: 1, message: 'content directory not found' }]);
  }
  const r: Reading = { root, cache, problems: [], catalog: { root, tracks: new Map(), questions: new Map(), rubrics: new Map(), drills: new Map(), prompts: new Map() } };
  // Questions name their track and rubric, so those are read first.
  readRubrics(r);
  readTracks(r);
  readQuestions(r);
  readDrills(r);
  if (r.catalog.questions.size === 0 && r.problems.length === 0) {
    r.problems.push({ file: 'scenarios/questions', line: 1, message: 'no questions found' });
  }
  readPrompts(r);
  if (r.problems.length > 0) throw new ContentError(r.problems);
  return r.catalog;
}

function readRubrics({ root, catalog, problems, cache }: Reading): void {
  for (const file of listYaml(join(root, 'rubrics'))) {
    const parsed = parseFile(file, root, RubricSchema, problems, cache);
    if (!parsed) continue;
    const rubric = parsed.value;
    if (catalog.rubrics.has(rubric.id)) {
      problems.push({ file: parsed.file, line: parsed.lineOf(['id']), message: `rubric id "${rubric.id}" is used twice` });
      continue;
    }
    const seen = new Set<string>();
    rubric.criteria.forEach((c, i) => {
      if (seen.has(c.id)) problems.push({ file: parsed.file, line: parsed.lineOf(['criteria', i, 'id']), message: `criterion id "${c.id}" is used twice` });
      seen.add(c.id);
      if (c.fullMarksAt !== undefined && c.fullMarksAt > c.signals.length) {
        problems.push({ file: parsed.file, line: parsed.lineOf(['criteria', i, 'fullMarksAt']), message: `fullMarksAt ${c.fullMarksAt} is more than the ${c.signals.length} signals` });
      }
    });
    catalog.rubrics.set(rubric.id, rubric);
  }
}

function readTracks({ root, catalog, problems, cache }: Reading): void {
  const tracksFile = join(root, 'scenarios', 'tracks.yaml');
  if (!existsSync(tracksFile)) {
    problems.push({ file: relative(root, tracksFile), line: 1, message: 'missing: every question belongs to a track listed here' });
    return;
  }
  const parsed = parseFile(tracksFile, root, TracksFileSchema, problems, cache);
  parsed?.value.tracks.forEach((t, i) => {
    if (catalog.tracks.has(t.id)) problems.push({ file: parsed.file, line: parsed.lineOf(['tracks', i, 'id']), message: `track id "${t.id}" is used twice` });
    catalog.tracks.set(t.id, t);
  });
}

function readQuestions({ root, catalog, problems, cache }: Reading): void {
  const star = catalog.rubrics.get(STAR_RUBRIC_ID);
  for (const file of listYaml(join(root, 'scenarios', 'questions'))) {
    const parsed = parseFile(file, root, QuestionSchema, problems, cache);
    if (!parsed) continue;
    const q = parsed.value;
    const at = (path: PropertyKey[], message: string) => problems.push({ file: parsed.file, line: parsed.lineOf(path), message });
    if (catalog.questions.has(q.id)) at(['id'], `question id "${q.id}" is used twice`);
    if (!catalog.tracks.has(q.track)) at(['track'], `unknown track "${q.track}"`);
    const rubric = catalog.rubrics.get(q.rubric);
    if (!rubric) at(['rubric'], `unknown rubric "${q.rubric}"`);
    else if (rubric.kind === 'star') at(['rubric'], 'name the answer-strategy rubric here; STAR is added for behavioral questions');
    if (q.kind === 'behavioral' && !star) at(['kind'], `behavioral questions need the "${STAR_RUBRIC_ID}" rubric in rubrics/`);
    const known = new Set([...(rubric?.criteria ?? []), ...(q.kind === 'behavioral' ? star?.criteria ?? [] : [])].map((c) => c.id));
    q.probes.forEach((p, i) => {
      if (rubric && !known.has(p.gap)) at(['probes', i, 'gap'], `probe gap "${p.gap}" is not a criterion of rubric "${q.rubric}"`);
    });
    catalog.questions.set(q.id, q);
  }
}

function readDrills({ root, catalog, problems, cache }: Reading): void {
  for (const file of listYaml(join(root, 'scenarios', 'drills'))) {
    const parsed = parseFile(file, root, DrillSchema, problems, cache);
    if (!parsed) continue;
    const before = problems.length;
    checkDrill(parsed, problems);
    if (catalog.drills.has(parsed.value.id)) problems.push({ file: parsed.file, line: parsed.lineOf(['id']), message: `drill id "${parsed.value.id}" is used twice` });
    if (problems.length === before) catalog.drills.set(parsed.value.id, parsed.value);
  }
}

function readPrompts({ root, catalog }: Reading): void {
  const promptDir = join(root, 'prompts');
  if (!existsSync(promptDir)) return;
  for (const name of readdirSync(promptDir).filter((n) => n.endsWith('.md')).sort()) {
    catalog.prompts.set(name.replace(/\.md$/, ''), readFileSync(join(promptDir, name), 'utf8'));
  }
}

/** A drill's parts refer to each other by id; every reference must land. */
function checkDrill({ value: d, file, lineOf }: Parsed<Drill>, problems: ContentProblem[]): void {
  const at = (path: PropertyKey[], message: string) => problems.push({ file, line: lineOf(path), message });
  const roles = new Set(d.roles.map((r) => r.id));
  const injects = new Set(d.injects.map((i) => i.id));
  const objectives = new Set(d.objectives.map((o) => o.id));
  const unique = (ids: string[], what: string, key: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) at([key, i, 'id'], `${what} id "${id}" is used twice`);
      seen.add(id);
    });
  };
  unique(d.roles.map((r) => r.id), 'role', 'roles');
  unique(d.injects.map((i) => i.id), 'inject', 'injects');
  unique(d.objectives.map((o) => o.id), 'objective', 'objectives');
  unique(d.expectedActions.map((a) => a.id), 'expected action', 'expectedActions');
  const starts = d.injects.filter((i) => i.release.kind === 'start');
  if (starts.length !== 1) at(['injects'], `a drill needs exactly one inject with release kind "start" (found ${starts.length})`);
  d.injects.forEach((inject, i) => {
    inject.roles.forEach((r, j) => roles.has(r) || at(['injects', i, 'roles', j], `unknown role "${r}"`));
    if (inject.release.kind === 'after' && !injects.has(inject.release.follows)) at(['injects', i, 'release', 'follows'], `unknown inject "${inject.release.follows}"`);
    const decision = inject.decision;
    if (!decision) return;
    if (!roles.has(decision.owner)) at(['injects', i, 'decision', 'owner'], `unknown role "${decision.owner}"`);
    decision.options.forEach((o, j) => {
      if (o.next && !injects.has(o.next)) at(['injects', i, 'decision', 'options', j, 'next'], `unknown inject "${o.next}"`);
    });
  });
  d.expectedActions.forEach((a, i) => {
    if (!objectives.has(a.objective)) at(['expectedActions', i, 'objective'], `unknown objective "${a.objective}"`);
    if (a.role && !roles.has(a.role)) at(['expectedActions', i, 'role'], `unknown role "${a.role}"`);
  });
}
