import type { z } from 'zod';

import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { CheckpointError, type CheckpointHeader, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { Ease, EaseConfig } from './ease.js';
import { AeConfig, AutoencoderNet, BetaVaeConfig, MultDaeConfig, MultVaeConfig } from './neural/autoencoder.js';
import { BprConfig, FactorizationNet, MfConfig } from './neural/factorization.js';
import { MacridVaeConfig, MacridVaeNet } from './neural/macridvae.js';
import { NeuralRecommender } from './neural/recommender.js';
import { RecVaeConfig, RecVaeNet } from './neural/recvae.js';
import { ItemKnn, ItemKnnConfig } from './itemknn.js';
import type { ModelState, Recommender } from './model.js';
import { PureSvd, PureSvdConfig } from './puresvd.js';
import { TopPop, TopPopConfig } from './toppop.js';

interface ModelEntry<S extends z.ZodObject> {
  description: string;
  config: S;
  make(config: z.infer<S>, items: number, state?: ModelState): Recommender;
}

const entry = <S extends z.ZodObject>(e: ModelEntry<S>) => e;

/** Every model untangle can train, by name. */
export const MODELS = {
  toppop: entry({
    description: 'most popular items for everyone (the floor any model must beat)',
    config: TopPopConfig,
    make: (c, n, s) => new TopPop(c, n, s),
  }),
  puresvd: entry({
    description: 'PureSVD: rank-k truncated SVD of the interaction matrix (Cremonesi et al. 2010)',
    config: PureSvdConfig,
    make: (c, n, s) => new PureSvd(c, n, s),
  }),
  itemknn: entry({
    description: 'item-based kNN with cosine similarity',
    config: ItemKnnConfig,
    make: (c, n, s) => new ItemKnn(c, n, s),
  }),
  ease: entry({
    description: 'EASE: closed-form item-item linear autoencoder (Steck 2019)',
    config: EaseConfig,
    make: (c, n, s) => new Ease(c, n, s),
  }),
  multdae: entry({
    description: 'Mult-DAE: I-200-I denoising autoencoder, multinomial likelihood (Liang et al. 2018)',
    config: MultDaeConfig,
    make: (c, n, s) => new NeuralRecommender('multdae', c, n, (rng) => new AutoencoderNet('multdae', c, n, rng), s),
  }),
  multvae: entry({
    description: 'Mult-VAE: I-600-200-600-I, KL annealed to betaCap (Liang et al. 2018)',
    config: MultVaeConfig,
    make: (c, n, s) => new NeuralRecommender('multvae', c, n, (rng) => new AutoencoderNet('multvae', c, n, rng), s),
  }),
  betavae: entry({
    description: 'beta-VAE: Mult-VAE with a constant KL weight beta (the baseline of Dervishaj et al.)',
    config: BetaVaeConfig,
    make: (c, n, s) => new NeuralRecommender('betavae', c, n, (rng) => new AutoencoderNet('betavae', c, n, rng), s),
  }),
  macridvae: entry({
    description:
      'MacridVAE: K macro concepts, disentangled facets (Ma et al., NeurIPS 2019), faithful to the original code',
    config: MacridVaeConfig,
    make: (c, n, s) => new NeuralRecommender('macridvae', c, n, (rng) => new MacridVaeNet(c, n, rng), s),
  }),
  recvae: entry({
    description:
      'RecVAE: composite prior, alternating encoder/decoder updates, beta scaled by history length (Shenbin et al. 2020)',
    config: RecVaeConfig,
    make: (c, n, s) => new NeuralRecommender('recvae', c, n, (rng) => new RecVaeNet(c, n, rng), s),
  }),
  mf: entry({
    description: 'matrix factorisation on explicit ratings with squared error (use --no-binarize --threshold none)',
    config: MfConfig,
    make: (c, n, s) =>
      new NeuralRecommender('mf', c, n, (rng, users) => new FactorizationNet('mf', c, n, users, rng), s),
  }),
  bpr: entry({
    description: 'implicit matrix factorisation with the BPR (or triplet) loss and uniform negative sampling',
    config: BprConfig,
    make: (c, n, s) =>
      new NeuralRecommender('bpr', c, n, (rng, users) => new FactorizationNet('bpr', c, n, users, rng), s),
  }),
  ae: entry({
    description: 'AE: deterministic autoencoder I-600-200-600-I (the "Decoding Latent Factors" baseline)',
    config: AeConfig,
    make: (c, n, s) => new NeuralRecommender('ae', c, n, (rng) => new AutoencoderNet('ae', c, n, rng), s),
  }),
} as const;

export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

/** The registry entry of `name`; an unknown name fails with the list of valid ones. */
export function modelEntry(name: string): ModelEntry<z.ZodObject> {
  if (!(name in MODELS)) throw new ConfigError(`unknown model "${name}"; valid: ${MODEL_NAMES.join(', ')}`);
  return MODELS[name as ModelName] as unknown as ModelEntry<z.ZodObject>;
}

/** A new, unfitted model with a validated config (unknown options are refused, listing the valid ones). */
export function createModel(name: string, config: unknown, items: number): Recommender {
  const e = modelEntry(name);
  return e.make(parseConfig(e.config, config, `model ${name}`), items);
}

/** Saves a fitted model with its provenance manifest (seed, split hash, code version, metrics...). */
export function saveModel(path: string, model: Recommender, manifest: Record<string, unknown>): void {
  saveCheckpoint(path, model, model.state(), manifest);
}

/** Loads a model file; the model scores exactly as it did when saved. */
export function loadModel(path: string): { model: Recommender; header: CheckpointHeader } {
  const { header, state } = loadCheckpoint(path);
  if (!(header.model in MODELS)) throw new CheckpointError(path, `unknown model "${header.model}"`);
  const e = modelEntry(header.model);
  return { model: e.make(parseConfig(e.config, header.config, `model ${header.model}`), header.items, state), header };
}
