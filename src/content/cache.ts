import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Validated content kept between runs in the OS temp directory: one entry per content file, keyed
 * by a hash of the file and of the loader's own code (so a schema change never reads a stale
 * entry). Parsing YAML dominates start-up; with this, a start after an edit parses only the files
 * that changed. Best effort: a cache that cannot be read or written only costs a parse.
 */
export type FileCache = {
  /** The validated value cached for `rel` if its text is unchanged. */
  get(rel: string, text: string): unknown;
  set(rel: string, text: string, value: unknown): void;
  /** Keeps the entries read or made since it was opened; files that changed or went away drop out. */
  save(): void;
};

type Entry = { hash: string; value: unknown };

const ext = extname(fileURLToPath(import.meta.url)); // .js in dist, .ts under tsx and vitest
const LOADER_CODE = ['./load', './schema', './cache'].map((name) => new URL(`${name}${ext}`, import.meta.url));
let loaderHash: string | undefined;
const loaderCode = (): string => {
  if (loaderHash) return loaderHash;
  const hash = createHash('sha256');
  for (const code of LOADER_CODE) hash.update(existsSync(code) ? readFileSync(code) : code.href);
  return (loaderHash = hash.digest('hex'));
};

const PREFIX = 'sparring-content-';
const rootTag = (root: string) => createHash('sha256').update(root).digest('hex').slice(0, 12);

export function openFileCache(root: string): FileCache {
  const tag = rootTag(root);
  const file = join(tmpdir(), `${PREFIX}${tag}.json`);
  let stored: Record<string, Entry> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>;
  } catch {
    /* none yet, or unreadable: parse everything */
  }
  const kept: Record<string, Entry> = {};
  let changed = false;
  const keyOf = (rel: string, text: string) => createHash('sha256').update(loaderCode()).update('\0').update(rel).update('\0').update(text).digest('hex').slice(0, 32);
  return {
    get(rel, text) {
      const entry = stored[rel];
      if (!entry || entry.hash !== keyOf(rel, text)) return undefined;
      kept[rel] = entry;
      return entry.value;
    },
    set(rel, text, value) {
      kept[rel] = { hash: keyOf(rel, text), value };
      changed = true;
    },
    save() {
      if (!changed && Object.keys(kept).length === Object.keys(stored).length) return;
      try {
        const tmp = `${file}.${process.pid}`;
        writeFileSync(tmp, JSON.stringify(kept));
        renameSync(tmp, file);
        // Caches of the same root in the older one-file-per-version format are stale.
        for (const name of readdirSync(tmpdir())) if (name.startsWith(`${PREFIX}${tag}-`)) rmSync(join(tmpdir(), name), { force: true });
      } catch {
        /* read-only temp dir: parse every time */
      }
    },
  };
}
