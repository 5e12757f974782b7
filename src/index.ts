/** untangle's library API. */
export * from './engine/index.js';
export { UntangleError, ConfigError } from './errors.js';
export { MultVaeNet, MultVaeNetConfig, type MultVaeForward } from './models/multvae-net.js';
export { trainEpoch, type BatchLossModel, type EpochResult } from './train/epoch.js';
export { shapedInteractions, SHAPES, type ShapedSpec } from './data/shaped.js';
export { runDoctor, type DoctorReport } from './system/doctor.js';
export { codeVersion, type CodeVersion } from './version.js';
