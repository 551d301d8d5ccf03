// The engine's view of a sentence-embedding model: a port, so tests can pass a small fake.

export interface Embedder {
  /** Identifies model and weights; stored next to every vector so a model change re-embeds. */
  readonly modelId: string;
  readonly dims: number;
  /** Which TensorFlow.js backend runs the model (tensorflow, wasm, cpu), for logs and bench. */
  readonly backend: string;
  /**
   * Embeds already-cleaned, short texts (one chunk each). Returns one unit-length vector per
   * input, in order.
   */
  embedBatch(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}
