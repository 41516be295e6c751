import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary file of a test run (databases, content copies, CLI homes, crash dumps) goes
 * under one directory that is removed when the run ends, so running the tests leaves nothing
 * behind in the machine's temp directory. Workers and spawned CLIs inherit TMPDIR.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'sparring-test-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
