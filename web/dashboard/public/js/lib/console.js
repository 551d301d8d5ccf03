// Console forms: each posts to /console/<kind> with the session's CSRF token and a one-time id
// made when the form is drawn. A second click (or a resend) carries the same id, so the server
// acts once; the id is renewed only after an answer, for the next, deliberate, action.
import { h } from './dom.js';

function csrfToken() {
  return document.querySelector('form.logout input[name="csrf"]')?.value ?? '';
}

function oneTimeId() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * A form for one console action: `fields` are nodes (inputs, selects, textareas, hidden
 * inputs); `label` is the button's text. The server's answer shows in the form's status line.
 */
export function actionForm(kind, label, fields, { onDone } = {}) {
  const request = h('input', { type: 'hidden', name: 'request', value: oneTimeId() });
  const status = h('p', { class: 'action-status', role: 'status' });
  const button = h('button', { type: 'submit' }, label);
  const form = h(
    'form',
    { class: 'console-action', method: 'post', action: `/console/${kind}`, 'data-kind': kind },
    h('input', { type: 'hidden', name: 'csrf', value: csrfToken() }),
    request,
    ...fields,
    button,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Sending…';
    form.dataset.state = 'sending';
    let answer;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(new FormData(form)),
      });
      const body = await response.json().catch(() => ({}));
      answer = { status: body.status ?? (response.ok ? 'done' : 'error'), message: body.message ?? body.error ?? `The server answered ${response.status}.` };
    } catch (error) {
      answer = { status: 'error', message: `Could not reach the server: ${error.message}` };
    }
    status.textContent = answer.message;
    form.dataset.state = answer.status;
    // A refused or failed form may be corrected and sent again as a new action.
    if (answer.status !== 'repeated') request.value = oneTimeId();
    if (answer.status === 'done') onDone?.(answer);
  });
  return form;
}

export function hidden(name, value) {
  return h('input', { type: 'hidden', name, value: String(value) });
}

export function textArea(name, label, placeholder = '') {
  return h('label', { class: 'field' }, label, h('textarea', { name, rows: 2, maxlength: 4000, placeholder }));
}

/** A choice of members: options are [{ memberId, name, hint }]. */
export function memberSelect(name, label, options) {
  return h(
    'label',
    { class: 'field' },
    label,
    h(
      'select',
      { name, required: true },
      h('option', { value: '' }, 'Choose…'),
      options.map((o) => h('option', { value: String(o.memberId) }, o.hint ? `${o.name} (${o.hint})` : o.name)),
    ),
  );
}
