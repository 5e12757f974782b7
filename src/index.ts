/** untangle's library API. */
export * from './engine/index.js';
export { UntangleError, ConfigError } from './errors.js';
export { AutoencoderNet, MultVaeConfig, MultDaeConfig, BetaVaeConfig, AeConfig } from './models/neural/autoencoder.js';
export { MacridVaeNet, MacridVaeConfig } from './models/neural/macridvae.js';
export { RecVaeNet, RecVaeConfig } from './models/neural/recvae.js';
export { MODELS, MODEL_NAMES, createModel, loadModel, saveModel, type ModelName } from './models/registry.js';
export type { Recommender, FitContext, FitEvent, ModelState } from './models/model.js';
export { recommend, type Recommendation } from './models/recommend.js';
export {
  representationsOf,
  NoRepresentationError,
  type Representations,
  type Codes,
} from './models/representations.js';
export { train, type TrainSummary } from './train/trainer.js';
export { DATASETS, DATASET_NAMES, loadDataset } from './data/registry.js';
export { preprocess, PreprocessConfig, type Interactions } from './data/preprocess.js';
export { makeSplit, SplitConfig, type Split, type EvalSet } from './data/split/protocols.js';
export { saveSplit, loadSplit, describeProtocol } from './data/split/io.js';
export { generateSynthetic, SyntheticConfig } from './data/loaders/synthetic.js';
export { evaluate, type EvalResult } from './eval/evaluate.js';
export { parseMetric, type MetricSpec } from './eval/metrics.js';
export { trainEpoch, type BatchLossModel, type EpochResult } from './train/epoch.js';
export { shapedInteractions, SHAPES, type ShapedSpec } from './data/shaped.js';
export { runDoctor, type DoctorReport } from './system/doctor.js';
export { codeVersion, type CodeVersion } from './version.js';
