// Chart.js (loaded as a classic script before the page modules) with the dashboard's defaults:
// no animation, so a chart is complete the moment it is drawn and a page is usable at once.
import { h } from './dom.js';

export const COLORS = {
  concierge: '#2563eb',
  direct: '#ea580c',
  opened: '#64748b',
  solved: '#16a34a',
  accepted: '#16a34a',
  declined: '#d97706',
  ignored: '#94a3b8',
  pending: '#cbd5e1',
  line: '#111827',
};

/** Distinct colours for a few series (tags); the palette repeats past its length. */
export const SERIES = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#b45309'];

/** A canvas in a sized box (Chart.js fills its parent), with a label for screen readers. */
export function chartBox(label, className = 'chart') {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  return { box: h('div', { class: className }, canvas), canvas };
}

export function drawChart(canvas, config) {
  const { Chart } = window;
  if (!Chart) throw new Error('the chart library did not load');
  return new Chart(canvas, {
    ...config,
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      ...config.options,
    },
  });
}
