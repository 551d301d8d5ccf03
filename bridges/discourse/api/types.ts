// Request and response types of the Discourse endpoints the bridge uses, all taken from the
// generated `paths` (scripts/generate-discourse-types.ts) so they follow the spec, not guesses.
// Where the spec is known to be incomplete the gap is named here, in one place.
import type { paths } from './openapi.generated.js';

/** The JSON request body of an operation (openapi-typescript marks most bodies optional). */
export type JsonBody<Op> = Op extends { requestBody?: infer RB } ? (NonNullable<RB> extends { content: { 'application/json': infer B } } ? B : never) : never;

/** The JSON body of an operation's 200 response. */
export type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

/** The query parameters of an operation (never when it declares none). */
export type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type GetOp<P extends keyof paths> = paths[P]['get'];
type PostOp<P extends keyof paths> = paths[P]['post'];
type PutOp<P extends keyof paths> = paths[P]['put'];

export type SiteBasicInfo = JsonOk<GetOp<'/site/basic-info.json'>>;
export type Site = JsonOk<GetOp<'/site.json'>>;
export type CategoryList = JsonOk<GetOp<'/categories.json'>>;
export type TagList = JsonOk<GetOp<'/tags.json'>>;
export type LatestTopics = JsonOk<GetOp<'/latest.json'>>;
export type LatestTopicsQuery = Query<GetOp<'/latest.json'>>;
export type Topic = JsonOk<GetOp<'/t/{id}.json'>>;
export type TopicPost = Topic['post_stream']['posts'][number];
export type TopicPosts = JsonOk<GetOp<'/t/{id}/posts.json'>>;
export type LatestPosts = JsonOk<GetOp<'/posts.json'>>;
export type LatestPost = LatestPosts['latest_posts'][number];
export type LatestPostsQuery = Query<GetOp<'/posts.json'>>;
export type Post = JsonOk<GetOp<'/posts/{id}.json'>>;
export type User = JsonOk<GetOp<'/u/{username}.json'>>;
export type UserEmails = JsonOk<GetOp<'/u/{username}/emails.json'>>;
export type PrivateMessageList = JsonOk<GetOp<'/topics/private-messages/{username}.json'>>;
export type SentPrivateMessageList = JsonOk<GetOp<'/topics/private-messages-sent/{username}.json'>>;

/** One body for new posts, new topics and private messages (POST /posts.json). */
export type CreatePostBody = JsonBody<PostOp<'/posts.json'>>;
export type CreatedPost = JsonOk<PostOp<'/posts.json'>>;
export type InviteToTopicBody = JsonBody<PostOp<'/t/{id}/invite.json'>>;
export type InviteToTopicResult = JsonOk<PostOp<'/t/{id}/invite.json'>>;
export type PostActionBody = JsonBody<PostOp<'/post_actions.json'>>;
export type PostActionResult = JsonOk<PostOp<'/post_actions.json'>>;

/**
 * PUT /t/-/{id}.json. The spec only lists `topic.title` and `topic.category_id`, but Discourse's
 * TopicsController#update also takes a top-level `tags` array (what the web UI sends when tags are
 * edited), so that one field is added to the generated shape.
 */
export type UpdateTopicBody = JsonBody<PutOp<'/t/-/{id}.json'>> & { tags?: string[] };
export type UpdateTopicResult = JsonOk<PutOp<'/t/-/{id}.json'>>;

/**
 * GET /t/{id}/posts.json. The spec models `post_ids[]` as a request body; Discourse reads it
 * from the query string (a GET body would be dropped by proxies), so the client sends it there.
 */
export type TopicPostsSelector = JsonBody<GetOp<'/t/{id}/posts.json'>>;

/** A user as topic details and lists name them (BasicUserSerializer). */
export interface BasicUser {
  id: number;
  username: string;
  name?: string | null;
  avatar_template?: string;
}

/**
 * GET /t/{id}.json as Discourse really answers, beyond the spec: private messages list their
 * recipients in details.allowed_users / allowed_groups (the spec's `participants` are only the
 * posters); mega topics (10,000+ posts) have no post_stream.stream; include_raw=true adds each
 * post's raw; discourse-solved adds accepted_answer to the topic and its post.
 */
export type TopicView = Omit<Topic, 'details' | 'post_stream'> & {
  details?: (NonNullable<Topic['details']> & { allowed_users?: BasicUser[]; allowed_groups?: { id: number; name: string }[] }) | undefined;
  post_stream: { posts: TopicViewPost[]; stream?: number[] | undefined };
  accepted_answer?: { post_number: number; username: string } | null | undefined;
};
export type TopicViewPost = TopicPost & { raw?: string | undefined; accepted_answer?: boolean | undefined };

/** POST /posts.json for a post held for approval (NewPostManager): 200, not a post yet. */
export interface EnqueuedPost {
  action: 'enqueued';
  pending_post: { id: number; raw?: string };
  pending_count?: number;
  success?: boolean;
}

/** PUT /t/-/{id}.json answers with the tags the forum kept when tags were sent (not in the spec). */
export type UpdatedTopic = UpdateTopicResult & { tags?: { id?: number; name: string; slug?: string }[] | undefined };

/** GET /user_actions.json: what a user did, newest first (filter 1 = likes given). */
export type UserActions = JsonOk<GetOp<'/user_actions.json'>>;
export const USER_ACTION_LIKE = 1;

/** Post action type ids from Discourse's PostActionType (`like` is 2). */
export const POST_ACTION_LIKE = 2;
