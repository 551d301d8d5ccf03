// Runs a page's render function and records the outcome on <main data-state>: "ready" once its
// main chart or table shows data, "empty" for a friendly empty state, "error" with a message.
// Tests and the page-load bench wait for that attribute; data-ready-ms is the time since the
// navigation started, measured by the browser itself.
import { h, replace } from './dom.js';

export function content() {
  return document.getElementById('content');
}

/** `render(container)` returns 'ready' or 'empty' once the page's main element is drawn. */
export async function runPage(render) {
  const main = document.getElementById('main');
  const container = content();
  try {
    const state = await render(container);
    main.dataset.readyMs = String(Math.round(performance.now()));
    main.dataset.state = state;
  } catch (error) {
    replace(container, h('p', { class: 'error', role: 'alert' }, `Could not load this page: ${error.message}`));
    main.dataset.state = 'error';
  }
}

export function emptyState(message) {
  return h('div', { class: 'empty' }, h('p', {}, message));
}

/** A short statement of what a page leaves out or how to read it. */
export function note(text) {
  return h('p', { class: 'note' }, text);
}
