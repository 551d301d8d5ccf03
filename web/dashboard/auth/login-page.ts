// The login form: plain server-rendered HTML, no script, styled by /login.css (the CSP allows
// no inline styles or scripts).

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface LoginPageOptions {
  csrf: string;
  /** A sentence shown above the form (wrong password, session expired, ...). */
  message?: string | undefined;
  /** Ask for a name too (named staff accounts are configured). */
  names?: boolean;
}

export function loginPage(options: LoginPageOptions): string {
  const message = options.message ? `\n    <p class="message" role="alert">${escapeHtml(options.message)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Co-Agent dashboard: log in</title>
  <link rel="stylesheet" href="/login.css">
</head>
<body>
  <main>
    <h1>Co-Agent dashboard</h1>${message}
    <form method="post" action="/login">
      <input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">
${
  options.names
    ? `      <label for="name">Name <span class="hint">(staff account; empty for a shared password)</span></label>
      <input id="name" name="name" type="text" autocomplete="username" maxlength="32">
`
    : ''
}      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
      <button type="submit">Log in</button>
    </form>
  </main>
</body>
</html>
`;
}

export const LOGIN_CSS = `body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1f2328; margin: 0; }
main { max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
h1 { font-size: 1.3rem; margin: 0 0 1.2rem; }
label { display: block; margin-bottom: 0.3rem; }
input[type=password], input[type=text] { width: 100%; box-sizing: border-box; padding: 0.5rem; font-size: 1rem; margin-bottom: 1rem; }
button { padding: 0.5rem 1.2rem; font-size: 1rem; cursor: pointer; }
.hint { color: #57606a; font-size: 0.85rem; }
.message { background: #fff4e5; border-left: 4px solid #d97706; padding: 0.5rem 0.8rem; }
`;
