// Static files of the pages: our CSS and browser modules (web/dashboard/public), and the chart
// and graph libraries straight from node_modules (no CDN: the machines have no internet).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * The browser builds we serve, by URL name: resolved through each package's main entry. A Map,
 * not an object: a name from the URL such as "constructor" must find nothing.
 */
function vendorFiles(): ReadonlyMap<string, string> {
  const require = createRequire(import.meta.url);
  const chartDist = path.dirname(require.resolve('chart.js'));
  const cytoscapeDist = path.dirname(require.resolve('cytoscape'));
  return new Map([
    ['chart.umd.min.js', path.join(chartDist, 'chart.umd.min.js')],
    ['cytoscape.esm.min.mjs', path.join(cytoscapeDist, 'cytoscape.esm.min.mjs')],
  ]);
}

export function createAssetsRouter(): Router {
  const router = Router();
  // Files change only with a deploy; revalidating by ETag keeps them cheap and never stale.
  router.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: 0 }));
  const vendor = vendorFiles();
  router.get('/vendor/:file', (req, res, next) => {
    const file = vendor.get(req.params.file);
    if (!file) {
      next();
      return;
    }
    res.type('text/javascript').sendFile(file, { maxAge: '1d' });
  });
  return router;
}
