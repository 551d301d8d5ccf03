// Logging in to the dashboard over HTTP as a browser would (fetch the form, send it back with
// its CSRF cookie), for benches and tests that then call the API with the session cookie.

export interface DashboardSession {
  /** The Cookie header value to send (the session cookie). */
  cookie: string;
}

/** The cookie pairs (name=value) a response sets, without their attributes. */
export function setCookies(res: Response): string[] {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='));
}

/** The login form's CSRF token and the cookie that must come back with it. */
export async function loginForm(baseUrl: string): Promise<{ csrf: string; cookie: string }> {
  const res = await fetch(`${baseUrl}/login`);
  const html = await res.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = setCookies(res).join('; ');
  if (res.status !== 200 || !csrf || !cookie) throw new Error(`GET /login: unexpected answer ${res.status}`);
  return { csrf, cookie };
}

/** POSTs the login form; the raw response (303 on success, 401, 403, 429 ...). */
export async function postLogin(baseUrl: string, password: string, form?: { csrf: string; cookie: string }): Promise<Response> {
  const f = form ?? (await loginForm(baseUrl));
  return fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie },
    body: new URLSearchParams({ csrf: f.csrf, password }).toString(),
  });
}

export async function loginToDashboard(baseUrl: string, password: string): Promise<DashboardSession> {
  const res = await postLogin(baseUrl, password);
  const session = setCookies(res).find((c) => c.startsWith('coagent_session='));
  if (res.status !== 303 || !session) throw new Error(`POST /login: expected 303 with a session cookie, got ${res.status}`);
  return { cookie: session };
}
