/** One search result: a document id and a score where higher is better. */
export interface Hit {
  id: number;
  score: number;
}
