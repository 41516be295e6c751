import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SDKS = /^(@slack\/|discord\.js|langchain|@langchain\/|better-sqlite3|pg(?:$|\/)|ollama|openai)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file imports, statically or dynamically, following relative imports out of core. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('the core stays free of platform SDKs (DESIGN.md §1)', () => {
  it('imports no SDK, directly or through the modules it pulls in', () => {
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (SDKS.test(spec)) offenders.push(`${file}: ${spec}`);
        else if (spec.startsWith('.')) visit(join(file, '..', spec.replace(/\.js$/, '.ts')));
      }
    };
    const core = sourceFiles('src/core');
    expect(core.length).toBeGreaterThan(5);
    core.forEach(visit);
    expect(offenders).toEqual([]);
  });
});
