// Fetching the dashboard's JSON API with the page's period. A lost session sends the browser to
// the login page; other failures become an ApiFailure with the server's message.
export class ApiFailure extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const LOGIN_PATH = '/login';

/** The period the server chose for this page (normalised from ?period=). */
export function currentPeriod() {
  return document.body.dataset.period || '12w';
}

/** `withPeriod: false` for endpoints not limited to a period (the API refuses unknown parameters). */
export async function getJson(path, params = {}, { withPeriod = true } = {}) {
  const query = new URLSearchParams(withPeriod ? { period: currentPeriod() } : {});
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const response = await fetch(query.size ? `${path}?${query}` : path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) {
    location.assign(LOGIN_PATH);
    throw new ApiFailure(401, 'Your session has ended; please log in again.');
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiFailure(response.status, typeof body.error === 'string' ? body.error : `The server answered ${response.status}.`);
  }
  return response.json();
}
