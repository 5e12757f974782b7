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
export { measureModel } from './measure/measure-model.js';
export { measureCodes, type MeasureScores, type MeasureDetails, type MeasureEvent } from './measure/run.js';
export { MeasureConfig, MEASURE_NAMES, type MeasureName } from './measure/config.js';
export { type MeasureRecord, writeMeasureRecord } from './measure/record.js';
export { splitHistories, userCodes, zScore } from './measure/codes.js';
export { groundTruth, FACTOR_SOURCES, type FactorSource, type GroundTruth } from './measure/factors/build.js';
export { itemFactorsFromCategories } from './measure/factors/categories.js';
export { userFactorsFromItems, STUDY_RULE } from './measure/factors/user-labels.js';
export { readTagGenome, tagClusterFactors, tagRelevanceFromItemTags } from './measure/factors/tags.js';
export { type Matrix, type LabelMatrix, matrix } from './measure/matrix.js';
export { dciFromImportance } from './measure/metrics/dci.js';
export { mig, mutualInformationMatrix } from './measure/metrics/mig.js';
export { sap } from './measure/metrics/sap.js';
export { modularity, explicitness } from './measure/metrics/modularity.js';
export { uncorrelatedness } from './measure/metrics/uncorrelatedness.js';
export { jensenShannonDistance, meanPairwiseJsDistance } from './measure/metrics/jensen-shannon.js';
export { limeExplainer, limeGlobal, limeGlobalMany } from './measure/metrics/lime.js';
export { shapGlobal } from './measure/metrics/shap-global.js';
export { GradientBoostedTrees, GbtConfig } from './measure/learners/gbt.js';
export { RandomForest, ForestConfig } from './measure/learners/forest.js';
export { Lasso, LassoConfig } from './measure/learners/lasso.js';
export { treeShap } from './measure/learners/treeshap.js';
export { gridSearchGbt, STUDY_GBT_GRID } from './measure/learners/grid-search.js';
export { splitHash } from './data/split/io.js';
