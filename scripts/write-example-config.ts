// Regenerates config/co-agent.example.yaml from the config schema (`npm run config:example`).
// With --check it only compares and exits 1 when the checked-in file is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderExampleConfig } from '../bridges/config.js';

export const EXAMPLE_CONFIG_FILE = fileURLToPath(new URL('../config/co-agent.example.yaml', import.meta.url));

const expected = renderExampleConfig();
const current = existsSync(EXAMPLE_CONFIG_FILE) ? readFileSync(EXAMPLE_CONFIG_FILE, 'utf8') : null;
if (process.argv.includes('--check')) {
  if (current !== expected) {
    console.error('config/co-agent.example.yaml is out of date: run `npm run config:example`.');
    process.exitCode = 1;
  }
} else if (current !== expected) {
  writeFileSync(EXAMPLE_CONFIG_FILE, expected);
  console.log('wrote config/co-agent.example.yaml');
} else {
  console.log('config/co-agent.example.yaml is up to date');
}
