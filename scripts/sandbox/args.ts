// Command-line flags of `npm start`: all of them are about the sandbox.

export interface StartArgs {
  /** Run against the local stand-ins even when platforms are configured. */
  sandbox: boolean;
  /** Keep the previous sandbox database instead of starting clean. */
  continue: boolean;
  /** Weeks of community life to simulate; default 12 on a clean start, 0 with --continue. */
  weeks?: number;
  /** At least this many real seconds per simulated week (to watch it happen); default 0. */
  weekSeconds?: number;
}

export const START_USAGE = 'usage: npm start [-- --sandbox] [--continue] [--weeks N] [--week-seconds S]';

/** Parses argv; throws an Error whose message says what is wrong. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  const args: StartArgs = { sandbox: false, continue: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a number`);
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a number of 0 or more, not "${v}"`);
      return n;
    };
    switch (name) {
      case '--sandbox':
        args.sandbox = true;
        break;
      case '--continue':
        args.continue = true;
        break;
      case '--weeks': {
        const weeks = value();
        if (!Number.isInteger(weeks) || weeks > 104) throw new Error('--weeks needs a whole number of weeks from 0 to 104');
        args.weeks = weeks;
        break;
      }
      case '--week-seconds':
        args.weekSeconds = value();
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return args;
}
