/** untangle's numeric engine: tensors, sparse matrices, autodiff, kernels, optimisers, RNG and linear algebra. */
export { Graph } from './autodiff/graph.js';
export { SparseTensor } from './autodiff/sparse-tensor.js';
export { Tape, type TapeOptions } from './autodiff/tape.js';
export type { Axis } from './autodiff/ops-reduce.js';
export type { MatmulOptions } from './autodiff/ops-linear.js';
export { CsrMatrix, type DuplicatePolicy } from './csr.js';
export { KernelError, ShapeError } from './errors.js';
export { NativeKernels, loadNativeAddon, type NativeInfo } from './kernels/native.js';
export { PortableKernels } from './kernels/portable.js';
export { selectKernels, type KernelChoice } from './kernels/select.js';
export type { AdamStep, Kernels, ProviderName } from './kernels/types.js';
export {
  NotPositiveDefiniteError,
  cholesky,
  choleskyInPlace,
  choleskySolveInPlace,
  spdInverse,
  spdSolve,
} from './linalg.js';
export { Adam, AdamConfig, Sgd, SgdConfig, type AdamState } from './optim.js';
export { orthonormalizeColumns, symmetricEigen } from './decompositions.js';
export { BufferPool } from './pool.js';
export { Rng, type SeedKey } from './rng.js';
export { Tensor } from './tensor.js';
