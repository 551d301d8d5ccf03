// Tags from the configuration: a Matrix-only community has no forum to take tags from, so the
// admin lists them (name and a sentence each) and they join the store's vocabulary at start,
// before the engine reads it. Existing tags keep their documents; a description is updated, and
// a tag proposed or rejected before becomes active: the configuration is the admin's word.
import type { Logger } from '../logging.js';
import type { Store } from '../store/index.js';

export interface VocabularyTag {
  name: string;
  description: string;
}

export async function adoptTagVocabulary(store: Store, vocabulary: readonly VocabularyTag[], logger: Logger): Promise<void> {
  if (vocabulary.length === 0) return;
  for (const t of vocabulary) await store.tags.upsert(t.name, t.description, 'config');
  logger.info({ tags: vocabulary.length }, 'tag vocabulary from the configuration');
}
