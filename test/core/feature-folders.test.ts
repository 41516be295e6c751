import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join('src', 'core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The core folder a file belongs to (`practice`, `kernel`…), or `.` for the router files beside them. */
const folderOf = (file: string): string => {
  const parts = relative(CORE, file).split(sep);
  return parts.length > 1 ? parts[0]! : '.';
};

/** Every core folder a file imports from, relative imports only. */
function foldersImportedBy(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => join(file, '..', s))
    .filter((target) => !relative(CORE, target).startsWith('..'))
    .map(folderOf);
}

/** Which folders each core folder may import from: features build on practice and the kernel, never the other way. */
const ALLOWED: Record<string, string[]> = {
  kernel: ['kernel'],
  practice: ['kernel', 'practice'],
  mock: ['kernel', 'practice', 'mock'],
  drill: ['kernel', 'practice', 'drill'],
  progress: ['kernel', 'practice', 'progress'],
  privacy: ['kernel', 'practice', 'privacy'],
};

describe('core feature folders (ARCHITECTURE.md)', () => {
  const files = sourceFiles(CORE).filter((f) => folderOf(f) !== '.');

  it('has the folders the architecture names, and nothing else beside the router', () => {
    expect([...new Set(files.map(folderOf))].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('points one way: practice never imports mock (mock registers a session mode instead), nor the kernel a feature', () => {
    const breaks = files.flatMap((f) => foldersImportedBy(f).filter((to) => !ALLOWED[folderOf(f)]!.includes(to)).map((to) => `${f} -> ${to}/`));
    expect(breaks).toEqual([]);
  });
});
