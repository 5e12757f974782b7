/**
 * LIME for tabular data (Ribeiro et al., KDD 2016), re-implemented after lime.lime_tabular.LimeTabularExplainer with
 * its defaults (discretize_continuous=True, discretizer='quartile', kernel_width = 0.75 sqrt(#features),
 * feature_selection='auto' with every feature kept, Ridge(alpha=1) surrogate), explaining a binary classifier's
 * P(y = 1). `limeGlobal` averages |local weights| over users: the study's LIME-global interpretability input.
 */
import type { Rng } from '../../engine/rng.js';
import { weightedRidgeSystem } from '../learners/weighted-ridge.js';
import { matrix, type Matrix } from '../matrix.js';

/** A black-box model: P(y = 1) for each row of x [rows x cols]; returns [rows]. */
export type PredictFn = (x: Matrix) => Float64Array;

/** Explains single predictions with local linear surrogates on the quartile-binarised features. */
export interface LimeExplainer {
  /**
   * LIME weights [cols] for P(y=1) at `row` [cols]: the Ridge coefficient of each feature's "in the instance's
   * quartile bin" indicator. `numSamples` includes the instance itself; `predict` is called once, on
   * [numSamples x cols]. Draws from `rng`, or from the explainer's stream when omitted.
   */
  explain(row: ArrayLike<number>, predict: PredictFn, numSamples: number, rng?: Rng): Float64Array;
  /**
   * As `explain` for several models at once, on the same perturbations (common random numbers): the surrogate's
   * normal equations are formed and factorised once, so each extra model costs one predict call and two triangular
   * solves. Each model's weights have the same distribution as a separate `explain` call would give.
   */
  explainMany(row: ArrayLike<number>, predicts: readonly PredictFn[], numSamples: number, rng?: Rng): Float64Array[];
}

/** lime's quartile discretisation of one training column and the per-bin statistics used to undiscretise. */
interface QuartileBins {
  /** Distinct 25/50/75th percentiles, increasing: bin of x = number of edges < x (np.searchsorted side='left'). */
  edges: Float64Array;
  /** Bins that occur in the training column, increasing, and their cumulative training frequency (last = 1). */
  present: Int32Array;
  cdf: Float64Array;
  /** Per bin [edges.length + 1]: training mean, population std + 1e-11, lower and upper boundary. */
  mean: Float64Array;
  std: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** Per bin: the boundaries standardised by the bin's mean and std (the truncation interval of the normal). */
  zMin: Float64Array;
  zMax: Float64Array;
}

/** LIME's ridge penalty for the surrogate (lime_base: Ridge(alpha=1)). */
const RIDGE_ALPHA = 1;

/** Builds the explainer from training data [rows x cols] (quartiles and bin statistics per column). */
export function limeExplainer(train: Matrix, rng: Rng): LimeExplainer {
  const { rows: n, cols: d } = train;
  if (n === 0) throw new RangeError('lime: no training rows');
  const bins: QuartileBins[] = [];
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = train.data[i * d + j];
    bins.push(quartileBins(col));
  }
  // lime's kernel sqrt(exp(-dist^2 / width^2)) with width = 0.75 sqrt(d); dist^2 = number of features whose sampled
  // bin differs from the instance's (euclidean distance of the binary rows to the all-ones instance row, which is
  // what lime measures: its scaler is the identity for discretised features).
  const width2 = 0.5625 * d;
  const explainer: LimeExplainer = {
    explain: (row, predict, numSamples, streamOverride) =>
      explainer.explainMany(row, [predict], numSamples, streamOverride)[0],
    explainMany(row, predicts, numSamples, streamOverride) {
      const r = streamOverride ?? rng;
      if (row.length !== d) throw new RangeError(`lime: row has ${row.length} values, training data ${d} columns`);
      if (!(Number.isInteger(numSamples) && numSamples >= 2))
        throw new RangeError(`lime: bad numSamples ${numSamples}`);
      const binary = matrix(numSamples, d); // [samples x cols] 0/1: sampled bin == instance's bin
      const inverse = matrix(numSamples, d); // [samples x cols] the perturbed inputs given to the model
      const instanceBin = new Int32Array(d);
      for (let j = 0; j < d; j++) {
        instanceBin[j] = binOf(bins[j].edges, row[j]);
        binary.data[j] = 1;
        inverse.data[j] = row[j];
      }
      // Per-number overhead dominates sampling: random numbers are drawn in bulk (one call per buffer), and the loop
      // runs feature by feature so one feature's bin tables stay hot.
      const uniforms = r.fillUniform(new Float32Array(numSamples * d));
      const normals = new NormalPool(r);
      const mismatches = new Int32Array(numSamples);
      for (let j = 0; j < d; j++) {
        const feature = bins[j];
        const own = instanceBin[j];
        for (let s = 1; s < numSamples; s++) {
          const b = sampleBin(feature, uniforms[j * numSamples + s]);
          if (b === own) binary.data[s * d + j] = 1;
          else mismatches[s]++;
          inverse.data[s * d + j] = undiscretize(feature, b, normals);
        }
      }
      const weights = Float64Array.from(mismatches, (m) => Math.sqrt(Math.exp(-m / width2)));
      const system = weightedRidgeSystem(binary, weights, RIDGE_ALPHA);
      return predicts.map((predict) => {
        const p = predict(inverse);
        if (p.length !== numSamples)
          throw new RangeError(`lime: predict returned ${p.length} values for ${numSamples} rows`);
        return system.solve(p).coef;
      });
    },
  };
  return explainer;
}

/** Options of limeGlobal. */
export interface LimeGlobalOptions {
  /** Perturbed samples per explanation, the instance included (the study: 10% of the rows). */
  numSamples: number;
  /** Explain only this many rows, drawn without replacement from rng.derive('rows'); all rows when omitted. */
  maxRows?: number;
  rng: Rng;
}

/**
 * LIME-global importance [cols]: mean |LIME weight| per code dimension over the explained rows of codes
 * [users x codeDims] (the explainer's training data too). Row r is explained with its own stream rng.derive('row', r),
 * so a row's explanation does not depend on which other rows are explained; maxRows trades fidelity for speed.
 */
export function limeGlobal(codes: Matrix, predict: PredictFn, options: LimeGlobalOptions): Float64Array {
  return limeGlobalMany(codes, [predict], options)[0];
}

/**
 * LIME-global importance [cols] of several models over the same explained rows and perturbations (see
 * `explainMany`): one result per model, each identical to what `limeGlobal` gives for that model alone.
 */
export function limeGlobalMany(
  codes: Matrix,
  predicts: readonly PredictFn[],
  options: LimeGlobalOptions,
): Float64Array[] {
  const { rows: n, cols: d } = codes;
  const { numSamples, rng } = options;
  const explainer = limeExplainer(codes, rng);
  const maxRows = options.maxRows ?? n;
  if (!(Number.isInteger(maxRows) && maxRows >= 1)) throw new RangeError(`lime: bad maxRows ${maxRows}`);
  const take = Math.min(n, maxRows);
  const rows = take < n ? Int32Array.from(rng.derive('rows').sampleWithoutReplacement(n, take)).sort() : null;
  const out = predicts.map(() => new Float64Array(d));
  for (let t = 0; t < take; t++) {
    const r = rows ? rows[t] : t;
    const row = codes.data.subarray(r * d, (r + 1) * d);
    const coefs = explainer.explainMany(row, predicts, numSamples, rng.derive('row', r));
    coefs.forEach((coef, m) => {
      for (let k = 0; k < d; k++) out[m][k] += Math.abs(coef[k]);
    });
  }
  for (const o of out) for (let k = 0; k < d; k++) o[k] /= take;
  return out;
}

function quartileBins(col: Float64Array): QuartileBins {
  const n = col.length;
  const sorted = Float64Array.from(col).sort();
  const qs = [0.25, 0.5, 0.75].map((q) => percentile(sorted, q));
  const edges = Float64Array.from(new Set(qs)); // np.unique: already increasing
  const nBins = edges.length + 1;
  const count = new Float64Array(nBins);
  const sum = new Float64Array(nBins);
  const binOfRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = binOf(edges, col[i]);
    binOfRow[i] = b;
    count[b]++;
    sum[b] += col[i];
  }
  const mean = new Float64Array(nBins);
  const std = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) mean[b] = count[b] > 0 ? sum[b] / count[b] : 0;
  for (let i = 0; i < n; i++) std[binOfRow[i]] += (col[i] - mean[binOfRow[i]]) ** 2;
  for (let b = 0; b < nBins; b++) std[b] = (count[b] > 0 ? Math.sqrt(std[b] / count[b]) : 0) + 1e-11;
  const min = Float64Array.from([sorted[0], ...edges]);
  const max = Float64Array.from([...edges, sorted[n - 1]]);
  const present = Int32Array.from(Array.from({ length: nBins }, (_, b) => b).filter((b) => count[b] > 0));
  const cdf = new Float64Array(present.length);
  let acc = 0;
  present.forEach((b, k) => (cdf[k] = acc += count[b] / n));
  for (let k = 0; k < cdf.length; k++) cdf[k] /= acc;
  const zMin = min.map((v, b) => (v - mean[b]) / std[b]);
  const zMax = max.map((v, b) => (v - mean[b]) / std[b]);
  return { edges, present, cdf, mean, std, min, max, zMin, zMax };
}

/** np.percentile(sorted, 100 q) with the default 'linear' method, including NumPy's two-sided lerp. */
function percentile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const t = pos - lo;
  const a = sorted[lo];
  const b = sorted[Math.min(lo + 1, sorted.length - 1)];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** np.searchsorted(edges, x, side='left'): the number of edges strictly below x. */
function binOf(edges: Float64Array, x: number): number {
  let k = 0;
  while (k < edges.length && edges[k] < x) k++;
  return k;
}

/** A bin drawn with the training frequencies from u uniform in [0, 1), as numpy's choice(p=...): #cdf values <= u. */
function sampleBin(bins: QuartileBins, u: number): number {
  let k = 0;
  while (k < bins.cdf.length - 1 && bins.cdf[k] <= u) k++;
  return bins.present[k];
}

/**
 * A value inside bin b: mean + std * z with z standard normal truncated to the bin's [min, max] (scipy truncnorm in
 * lime). The bin mean lies inside [min, max] and std <= (max - min) / 2, so the truncation interval contains 0 and is
 * at least 2 wide: plain rejection accepts about half the draws or more. Where min == max lime returns the
 * standardised boundary (a bug: 0 instead of the value); the boundary value itself is returned here.
 */
function undiscretize(bins: QuartileBins, b: number, normals: NormalPool): number {
  const lo = bins.min[b];
  const hi = bins.max[b];
  if (lo === hi) return lo;
  const a = bins.zMin[b];
  const c = bins.zMax[b];
  for (let tries = 0; tries < 1000; tries++) {
    const z = normals.next();
    if (z >= a && z <= c) return bins.mean[b] + bins.std[b] * z;
  }
  return Math.min(hi, Math.max(lo, bins.mean[b])); // unreachable for bins that hold training values (see above)
}

/** Standard normals drawn from an Rng in blocks (float32 precision is ample for perturbations). */
class NormalPool {
  private readonly buffer: Float32Array;
  private pos: number;

  constructor(private readonly rng: Rng) {
    this.buffer = new Float32Array(4096);
    this.pos = this.buffer.length;
  }

  next(): number {
    if (this.pos === this.buffer.length) {
      this.rng.fillNormal(this.buffer);
      this.pos = 0;
    }
    return this.buffer[this.pos++];
  }
}
