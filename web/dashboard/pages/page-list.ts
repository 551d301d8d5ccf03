// The dashboard's pages: path, navigation label, and the browser module that fills it in.
export interface PageSpec {
  /** Key used in the navigation and as <body data-page>. */
  key: string;
  path: string;
  title: string;
  /** Module under /assets/js/pages/. */
  script: string;
  /** Shown in the navigation bar (the problem detail page is reached from the list). */
  nav: boolean;
  /** Vendor scripts the page needs: Chart.js runs before its module; cytoscape is fetched early. */
  vendor: ('chart' | 'cytoscape')[];
  /** Only for the community team (roles that may act on the console); others get 403. */
  staffOnly?: boolean;
}

export const PAGES: readonly PageSpec[] = [
  { key: 'overview', path: '/', title: 'Overview', script: 'overview.js', nav: true, vendor: ['chart'] },
  { key: 'connections', path: '/connections', title: 'Connection growth', script: 'connections.js', nav: true, vendor: ['chart'] },
  { key: 'network', path: '/network', title: 'Network', script: 'network.js', nav: true, vendor: ['cytoscape'] },
  { key: 'problems', path: '/problems', title: 'Problems', script: 'problems.js', nav: true, vendor: [] },
  { key: 'problem', path: '/problems/:id', title: 'Problem', script: 'problem.js', nav: false, vendor: [] },
  { key: 'helpers', path: '/helpers', title: 'Helpers', script: 'helpers.js', nav: true, vendor: ['chart'] },
  { key: 'tags', path: '/tags', title: 'Tags', script: 'tags.js', nav: true, vendor: ['chart'] },
  { key: 'attention', path: '/attention', title: 'Attention', script: 'attention.js', nav: true, vendor: ['chart'], staffOnly: true },
  { key: 'audit', path: '/audit', title: 'Audit log', script: 'audit.js', nav: true, vendor: [], staffOnly: true },
];
