// Small pieces shared by the problem list and the problem detail page.
import { h } from './dom.js';

export const STATUSES = ['opened', 'acknowledged', 'invited', 'answered', 'digested', 'solved', 'stale', 'closed'];
export const PLATFORM_NAMES = { matrix: 'Matrix', discourse: 'Forum' };

export function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, status);
}

export function tagList(tags) {
  return tags.length === 0 ? h('span', { class: 'muted' }, 'untagged') : tags.map((t) => h('span', { class: 'tag' }, t));
}

/** A page path under the router's mount point, keeping the period. */
export function pagePath(path) {
  const { base = '', period = '12w' } = document.body.dataset;
  return `${base}${path}?period=${encodeURIComponent(period)}`;
}
