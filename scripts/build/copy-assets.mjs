/* global process */
// Part of `npm run build`: copies what the compiled service reads beside its modules (tsc emits
// only JavaScript): the migrations (core/store/migrate.ts) and the dashboard's static files.
import { cpSync, rmSync } from 'node:fs';

const ASSETS = ['prisma/migrations', 'prisma/postgresql/migrations', 'web/dashboard/public'];
for (const dir of ASSETS) {
  rmSync(`dist/${dir}`, { recursive: true, force: true });
  cpSync(dir, `dist/${dir}`, { recursive: true });
}
process.stdout.write(`copied ${ASSETS.join(', ')} to dist/\n`);
