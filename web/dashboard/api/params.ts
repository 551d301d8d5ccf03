// Query parameters: each must be known and given once; a bad one is a 400 with a sentence
// saying what was expected, never a 500.
import type { Request } from 'express';

/** A client mistake in the request: answered 400 with this message. */
export class BadRequest extends Error {
  override readonly name = 'BadRequest';
  readonly status = 400;
}

/** The request's query as single strings, refusing names outside `allowed` and repeated names. */
export function queryOf(req: Request, allowed: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (!allowed.includes(name)) {
      throw new BadRequest(`unknown parameter "${name}"${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}`);
    }
    if (typeof value !== 'string') throw new BadRequest(`parameter "${name}" must be given once, as plain text`);
    out[name] = value;
  }
  return out;
}

/** A whole number in [min, max], or the default when absent. */
export function intParam(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new BadRequest(`${name} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

/** One of `values`, or undefined when absent. */
export function oneOfParam<T extends string>(value: string | undefined, name: string, values: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw new BadRequest(`${name} must be one of ${values.join(', ')}`);
  return value as T;
}
