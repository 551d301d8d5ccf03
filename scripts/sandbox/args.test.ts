import { describe, expect, it } from 'vitest';
import { parseStartArgs } from './args.js';

describe('npm start flags', () => {
  it('reads the sandbox flags in either spelling', () => {
    expect(parseStartArgs([])).toEqual({ sandbox: false, continue: false });
    expect(parseStartArgs(['--sandbox', '--weeks', '3', '--week-seconds=0.5', '--continue'])).toEqual({
      sandbox: true,
      continue: true,
      weeks: 3,
      weekSeconds: 0.5,
    });
  });

  it('says what is wrong with a bad flag', () => {
    expect(() => parseStartArgs(['--bogus'])).toThrow('unknown argument --bogus');
    expect(() => parseStartArgs(['--weeks'])).toThrow('--weeks needs a number');
    expect(() => parseStartArgs(['--weeks', 'many'])).toThrow('not "many"');
    expect(() => parseStartArgs(['--weeks', '2.5'])).toThrow('whole number');
    expect(() => parseStartArgs(['--week-seconds', '-1'])).toThrow('0 or more');
  });
});
