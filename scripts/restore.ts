// `npm run restore -- <backup file> [--database PATH]`: replaces the database with a backup made
// by `npm run backup`. Refused while the service runs on that database (see core/store/service-lock.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreCli, stdio } from './backup.js';

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  restoreCli(process.argv.slice(2), stdio()).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
