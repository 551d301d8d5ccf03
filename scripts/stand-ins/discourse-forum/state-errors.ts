// The errors the stand-in answers with, shaped as Discourse renders them (render_json_error):
// `{"errors": [...], "error_type": ..., "extras": ...}` with the HTTP status, plus any headers
// (Retry-After on a rate limit).

export type JsonObject = Record<string, unknown>;

/** An error Discourse would answer with: `{"errors": [...], "error_type": ...}`. */
export class ForumError extends Error {
  /** Extra response headers (Retry-After, Discourse-Rate-Limit-Error-Code). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly errors: string[],
    readonly errorType?: string,
    readonly extras?: JsonObject,
  ) {
    super(`${status}: ${errors.join('; ')}`);
  }

  get body(): JsonObject {
    const body: JsonObject = { errors: this.errors };
    if (this.errorType) body['error_type'] = this.errorType;
    if (this.extras) body['extras'] = this.extras;
    return body;
  }
}

export const notFound = (): ForumError => new ForumError(404, ['The requested URL or resource could not be found.'], 'not_found');
export const invalidAccess = (message = 'You are not permitted to view the requested resource.'): ForumError =>
  new ForumError(403, [message], 'invalid_access');
export const invalidKey = (): ForumError => invalidAccess('You are not permitted to view the requested resource. The API username or key is invalid.');
export const unprocessable = (...errors: string[]): ForumError => new ForumError(422, errors);
export const badParameter = (name: string): ForumError => new ForumError(400, [`param is missing or the value is empty: ${name}`], 'invalid_parameters');
