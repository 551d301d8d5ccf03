// Platform-neutral domain types shared by the engine, the store and (later) the bridges.

/** A nominal ("branded") type: ids of different kinds cannot be mixed up by accident. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type MemberId = Brand<number, 'MemberId'>;
export type DocumentId = Brand<number, 'DocumentId'>;
export type ProblemId = Brand<number, 'ProblemId'>;
export type TagId = Brand<number, 'TagId'>;

export const memberId = (n: number): MemberId => n as MemberId;
export const documentId = (n: number): DocumentId => n as DocumentId;
export const problemId = (n: number): ProblemId => n as ProblemId;
export const tagId = (n: number): TagId => n as TagId;

/** A platform's id ("matrix", "discourse", ...): what it can do is in its profile (platforms.ts). */
export type Platform = string;

/** What a document is in its conversation: an opening question/topic or a reply to one. */
export type DocumentKind = 'question' | 'answer' | 'message' | 'topic' | 'post';

/** A piece of community history the engine learns from (a past topic, post or message). */
export interface KnowledgeDocument {
  id: DocumentId;
  platform: Platform;
  /** Every document of one conversation shares it (topic id, Matrix thread root). */
  threadId: string;
  kind: DocumentKind;
  title?: string | undefined;
  text: string;
  url?: string | undefined;
  authorId?: MemberId | undefined;
  createdAt: Date;
  tags: readonly string[];
  /** Accepted answer / marked solution. */
  accepted: boolean;
  /** Platform score (votes, likes); 0 where the platform has none. */
  score: number;
}

/** A document's content hash, with the title and text it is the hash of. */
export interface FoundContentHash {
  id: DocumentId;
  contentHash: string;
  title: string | undefined;
  text: string;
}

/** Success or a failure the caller must handle; capability ports return this instead of throwing. */
export type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
