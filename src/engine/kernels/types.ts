/**
 * The numeric kernels behind every engine op, with two providers: `native` (C addon: packed AVX2/AVX-512 GEMM,
 * threads) and `portable` (TypeScript, always available). All matrices are row-major float32. Every kernel writes
 * only its output arguments and gives results that do not depend on the thread count.
 */
export type ProviderName = 'native' | 'portable';

/** Hyper-parameters of one Adam step; bc1 = 1 - beta1^t and bc2 = 1 - beta2^t are the bias corrections. */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** true: AdamW (decoupled decay, param *= 1 - lr * wd); false: L2 added to the gradient (torch.optim.Adam). */
  decoupled: boolean;
  bc1: number;
  bc2: number;
}

/** The arguments of Kernels.gemm, for implementations that forward them. */
export type GemmArgs = Parameters<Kernels['gemm']>;

export interface Kernels {
  readonly provider: ProviderName;
  /** Threads the kernels may use (1 for portable). */
  readonly threads: number;

  /**
   * C = alpha * op(A) * op(B) + beta * C with op(A) [m x k], op(B) [k x n]; matrices start at the given offsets with
   * row strides lda/ldb/ldc. beta = 0 never reads C.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    aOff: number,
    lda: number,
    b: Float32Array,
    bOff: number,
    ldb: number,
    beta: number,
    c: Float32Array,
    cOff: number,
    ldc: number,
  ): void;

  /** C[m x n] = beta * C + S[m x k] * B[k x n] for CSR S. */
  spmm(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;

  /** C[k x n] += S[m x k]^T * B[m x n] for CSR S. */
  spmmT(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;

  /** out[p] = dot(A[r, :], B[indices[p], :]) for every stored entry p (row r) of the CSR pattern; A [m x n], B [k x n]. */
  sddmm(
    m: number,
    k: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
  ): void;

  /** out[j] += sum_i x[i, j] for x [m x n]: the bias gradient of a layer. */
  addColSums(m: number, n: number, x: Float32Array, out: Float32Array): void;

  /** out = exp(x) elementwise; out may alias x. */
  exp(x: Float32Array, out: Float32Array): void;
  /** out = ln(x) elementwise; out may alias x. */
  log(x: Float32Array, out: Float32Array): void;
  /** out = tanh(x) elementwise; out may alias x. */
  tanh(x: Float32Array, out: Float32Array): void;
  /** out = 1 / (1 + exp(-x)) elementwise; out may alias x. */
  sigmoid(x: Float32Array, out: Float32Array): void;

  /**
   * Row-wise softmax of logits [m x n] into probs, and loss[r] = sum_p values[p] * (logsumexp(row r) -
   * logits[r, indices[p]]) for the CSR targets: the multinomial negative log-likelihood. probs may alias logits.
   */
  softmaxNll(
    m: number,
    n: number,
    logits: Float32Array,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    probs: Float32Array,
    loss: Float32Array,
  ): void;

  /** out = d(sum_r g[r] * loss[r]) / d logits, from the probs of softmaxNll; out may alias probs. */
  softmaxNllBackward(
    m: number,
    n: number,
    probs: Float32Array,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    g: Float32Array,
    out: Float32Array,
  ): void;

  /** out[n x n] += X^T X for the CSR matrix X [m x n]: item-item co-occurrences (EASE, item-kNN). */
  sparseGram(
    m: number,
    n: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    out: Float32Array,
  ): void;

  /**
   * The k best columns of every row of scores [m x n], skipping each row's excluded columns (sorted CSR exPtr /
   * exIdx): out[r * k + q] is the q-th best, -1 when fewer than k remain. Higher score first, ties broken by the
   * lower column index, NaN ranked last. 1 <= k <= 1024.
   */
  topK(
    m: number,
    n: number,
    scores: Float32Array,
    exPtr: Int32Array,
    exIdx: Int32Array,
    k: number,
    out: Int32Array,
  ): void;

  /**
   * out[m x n] = log sum_k w_k exp(l_k), stably; each w_k holds n values (one per column, broadcast over rows) or
   * m * n values.
   */
  lseWeighted(
    K: number,
    m: number,
    n: number,
    logits: Float32Array[],
    weights: Float32Array[],
    out: Float32Array,
  ): void;

  /**
   * Backward of lseWeighted given its output and the gradient g: with r_k = g * exp(l_k - out), gradLogits[k] +=
   * r_k * w_k and r[k] = r_k (entries may be null to skip).
   */
  lseWeightedBackward(
    K: number,
    m: number,
    n: number,
    logits: Float32Array[],
    weights: Float32Array[],
    out: Float32Array,
    g: Float32Array,
    gradLogits: (Float32Array | null)[],
    r: (Float32Array | null)[],
  ): void;

  /**
   * Layer normalisation of x [m x n] per row: out = xhat * gamma + beta with xhat = (x - mean) * inv[r] and
   * inv[r] = 1 / sqrt(var + eps); xhat [m x n] and inv [m] are written for the backward.
   */
  layerNorm(
    m: number,
    n: number,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    eps: number,
    out: Float32Array,
    xhat: Float32Array,
    inv: Float32Array,
  ): void;

  /** Adds the layer-normalisation gradients to gx [m x n], gGamma and gBeta [n]; each may be null to skip. */
  layerNormBackward(
    m: number,
    n: number,
    g: Float32Array,
    xhat: Float32Array,
    inv: Float32Array,
    gamma: Float32Array,
    gx: Float32Array | null,
    gGamma: Float32Array | null,
    gBeta: Float32Array | null,
  ): void;

  /** One Adam step, updating param, m and v in place. */
  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, step: AdamStep): void;
}
