// The shared page shell: navigation, period selector, exports, logout, and the notice of what
// the dashboard cannot see. Each page's module fills <main> from the JSON API in the browser.
import type { Role } from '../api-types.js';
import { PERIOD_PRESETS, type PeriodPreset } from '../api-types.js';
import { ACTING_ROLES } from '../console/router.js';
import { escapeHtml } from './html.js';
import { PAGES, type PageSpec } from './page-list.js';
import { PERIOD_LABELS, withPeriod } from './period.js';

export interface LayoutInput {
  page: PageSpec;
  /** Where the pages router is mounted ('' at the root), so links work under any prefix. */
  base: string;
  period: PeriodPreset;
  query: Record<string, unknown>;
  csrfToken: string;
  role: Role;
  /** The named staff account signed in, if any. */
  staff?: { name: string; role: string } | undefined;
  /** Extra data attributes for the page module, e.g. the problem id. */
  data?: Record<string, string>;
}

export const NOT_OBSERVABLE =
  'What this dashboard cannot see: direct messages and rooms the bot is not in, conversations ' +
  'outside Matrix and the forum, and anything members who opted out said or did. Counts are of ' +
  'what the bot could observe.';

// Chart.js is a classic script the page modules find as window.Chart; cytoscape is an ES module
// the network page imports itself, preloaded so it downloads while the page starts.
const VENDOR_TAGS = {
  chart: (href: string) => `<script defer src="${href}/vendor/chart.umd.min.js"></script>`,
  cytoscape: (href: string) => `<link rel="modulepreload" href="${href}/vendor/cytoscape.esm.min.mjs">`,
} as const;

export function renderLayout(input: LayoutInput): string {
  const { page, base, period, query } = input;
  const e = escapeHtml;
  const href = (path: string) => e(`${base}${path}`);
  const periodQuery = `?period=${period}`;
  const nav = PAGES.filter((p) => p.nav && (!p.staffOnly || ACTING_ROLES.has(input.staff?.role ?? input.role)))
    .map((p) => {
      const current = p.key === page.key || (page.key === 'problem' && p.key === 'problems');
      return `<a href="${href(p.path)}${periodQuery}"${current ? ' aria-current="page"' : ''}>${e(p.title)}</a>`;
    })
    .join('');
  const periods = PERIOD_PRESETS.map(
    (p) => `<a href="${e(withPeriod(query, p))}" data-period="${p}"${p === period ? ' aria-current="true"' : ''}>${e(PERIOD_LABELS[p])}</a>`,
  ).join('');
  const data = Object.entries(input.data ?? {})
    .map(([k, v]) => ` data-${e(k)}="${e(v)}"`)
    .join('');
  const vendor = page.vendor.map((v) => VENDOR_TAGS[v](e(base))).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(page.title)} · Co-Agent dashboard</title>
<link rel="icon" href="${href('/assets/favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${href('/assets/dashboard.css')}">
${vendor}<script type="module" src="${href(`/assets/js/pages/${page.script}`)}"></script>
</head>
<body data-page="${e(page.key)}" data-base="${e(base)}" data-period="${period}" data-role="${e(input.role)}"${data}>
<header class="top">
<a class="brand" href="${href('/')}${periodQuery}">Co-Agent</a>
<nav class="pages" aria-label="Pages">${nav}</nav>
<span class="who">Signed in as ${input.staff ? `${e(input.staff.name)} (${e(input.staff.role)})` : e(input.role)}</span>
<form class="logout" method="post" action="/logout">
<input type="hidden" name="csrf" value="${e(input.csrfToken)}">
<button type="submit">Log out</button>
</form>
</header>
<div class="toolbar">
<nav class="periods" aria-label="Period">${periods}</nav>
<span class="exports">Export CSV:
<a href="/export/problems.csv${periodQuery}" download>problems</a>
<a href="/export/interactions.csv${periodQuery}" download>interactions</a></span>
</div>
<main id="main" data-state="loading">
<h1>${e(page.title)}</h1>
<div id="content"><p class="loading">Loading…</p></div>
<noscript><p>This dashboard needs JavaScript for its charts and tables.</p></noscript>
</main>
<footer class="not-observable"><p>${e(NOT_OBSERVABLE)}</p></footer>
</body>
</html>
`;
}
