import type { Rng } from '../engine/rng.js';
import { type LabelMatrix, type Matrix, matrix } from './matrix.js';

/** Rows of codes and labels taken together. */
export interface Rows {
  codes: Matrix;
  labels: LabelMatrix;
}

/** The rows at the given indices (ascending copies). */
export function takeRows(codes: Matrix, labels: LabelMatrix, index: Int32Array): Rows {
  const c = matrix(index.length, codes.cols);
  const l = new Uint8Array(index.length * labels.cols);
  index.forEach((r, k) => {
    c.data.set(codes.data.subarray(r * codes.cols, (r + 1) * codes.cols), k * codes.cols);
    l.set(labels.data.subarray(r * labels.cols, (r + 1) * labels.cols), k * labels.cols);
  });
  return { codes: c, labels: { ...labels, data: l, rows: index.length } };
}

/** A seeded train / test partition of the rows: `testShare` of them (at least one) held out. */
export function holdout(rows: number, testShare: number, rng: Rng): { train: Int32Array; test: Int32Array } {
  const perm = rng.permutation(rows);
  const nTest = Math.max(1, Math.round(testShare * rows));
  return { test: perm.slice(0, nTest).sort(), train: perm.slice(nTest).sort() };
}
