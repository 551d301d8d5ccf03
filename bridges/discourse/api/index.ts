// The Discourse API client: typed by the generated spec, retrying, idempotent for new posts.
export { DiscourseClient, DEFAULT_TIMEOUT_MS, POST_IDS_PER_REQUEST, isPosted } from './client.js';
export type { CreatePostInput, CreateTopicInput, DiscourseClientOptions, PostedResult, PrivateMessageInput, WriteOptions, WriteResult } from './client.js';
export { RequestBudget } from './budget.js';
export type { BudgetStats, Priority } from './budget.js';
export { DiscourseApiError, describeDiscourseError, settle } from './errors.js';
export type { DiscourseErrorKind } from './errors.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { DEFAULT_LOOKUP_LIMITS } from './idempotency.js';
export type { LookupLimits } from './idempotency.js';
export { DISCOURSE_MAX_RAW_LENGTH, hasMarker, markerFor, withMarker } from './marker.js';
export type * from './types.js';
export { POST_ACTION_LIKE } from './types.js';
