// Figures and reports the tests produce for people (an issue's report, a release note): kept in
// test-artifacts/ (not committed; CI keeps the folder), beside being printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Writes `text` to test-artifacts/<name> and prints it; returns the file's path. */
export function keepReport(name: string, text: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return file;
}
