// Phrase banks for the sandbox's problems and answers, one per tag. The sentences are data, so
// they live in tag-phrases.json; this module gives them their types. Each bank holds
// interchangeable parts (title topics, situations, constraints, what was tried, questions,
// advice); community-text.ts combines them and fills the {slots} with numbers and roles, so a
// few dozen sentences per tag give hundreds of distinct posts.
// Imported as a JSON module (not read with fs) so tsc emits the file beside the compiled
// sandbox in dist/, which the production build runs.
import data from './tag-phrases.json' with { type: 'json' };

export interface TagPhrases {
  description: string;
  /** Noun phrases for titles ("a slow interview loop"), one per situation, same order. */
  topics: string[];
  /** The opening sentence of a problem: what is going on; topics[i] names situations[i]. */
  situations: string[];
  /** Something that makes it harder. */
  constraints: string[];
  /** What the asker already tried, and how it went. */
  tried: string[];
  /** The question itself. */
  asks: string[];
  /** Concrete advice sentences for answers. */
  advice: string[];
}

/** The banks by tag name, in the file's order (which fixes the order of the tags). */
export const TAG_PHRASES: Record<string, TagPhrases> = data.tags;

/** Sentences that fit any tag: extra constraints and closing questions for problems. */
export const GENERIC_CONSTRAINTS: string[] = data.genericConstraints;
export const GENERIC_ASKS: string[] = data.genericAsks;

/** Answer openers and closers, and the vaguer advice a non-expert tends to give. */
export const ANSWER_OPENERS: string[] = data.answerOpeners;
export const ANSWER_CLOSERS: string[] = data.answerClosers;
export const GENERIC_ADVICE: string[] = data.genericAdvice;
