// Content hashes: the key under which a text's embedding (and other derived data) is cached.
import { createHash } from 'node:crypto';

/** SHA-256 of the UTF-8 text, as 64 lowercase hex characters. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
