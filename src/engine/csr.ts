import { ShapeError, fmtShape } from './errors.js';

/** How fromTriplets treats a (row, col) pair given more than once. */
export type DuplicatePolicy = 'sum' | 'last' | 'error';

/**
 * A compressed sparse row matrix with sorted column indices in every row. Immutable by convention: operations
 * return new matrices. Used for user-item interactions (rows = users) and for batches of them.
 */
export class CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row r occupies entries indptr[r] .. indptr[r + 1] - 1; length rows + 1. */
  readonly indptr: Int32Array;
  /** Column of each stored entry; length nnz. */
  readonly indices: Int32Array;
  /** Value of each stored entry; length nnz. */
  readonly values: Float32Array;

  constructor(rows: number, cols: number, indptr: Int32Array, indices: Int32Array, values: Float32Array) {
    if (indptr.length !== rows + 1) {
      throw new ShapeError(`csr: indptr has ${indptr.length} entries, expected rows + 1 = ${rows + 1}`);
    }
    const nnz = indptr[rows];
    if (indices.length !== nnz || values.length !== nnz) {
      throw new ShapeError(`csr: ${indices.length} indices and ${values.length} values, expected nnz = ${nnz}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  get nnz(): number {
    return this.indptr[this.rows];
  }

  /**
   * Builds a matrix from (row, col, value) triplets in any order; values default to 1. Rows and columns must lie in
   * [0, rows) and [0, cols); `duplicates` decides what repeated pairs mean ('last' keeps the later triplet).
   */
  static fromTriplets(
    rows: number,
    cols: number,
    rowIdx: ArrayLike<number>,
    colIdx: ArrayLike<number>,
    values?: ArrayLike<number>,
    duplicates: DuplicatePolicy = 'sum',
  ): CsrMatrix {
    const n = rowIdx.length;
    if (colIdx.length !== n || (values && values.length !== n)) {
      throw new ShapeError(`csr.fromTriplets: ${n} rows, ${colIdx.length} cols, ${values?.length ?? n} values`);
    }
    const integral = rowIdx instanceof Int32Array && colIdx instanceof Int32Array;
    for (let t = 0; t < n; t++) {
      const r = rowIdx[t];
      const c = colIdx[t];
      if (
        !(r >= 0 && r < rows) ||
        !(c >= 0 && c < cols) ||
        (!integral && !(Number.isInteger(r) && Number.isInteger(c)))
      ) {
        throw new ShapeError(`csr.fromTriplets: entry ${t} at (${r}, ${c}) lies outside ${fmtShape(rows, cols)}`);
      }
    }
    // Two stable counting sorts (by column, then by row) give (row, col) order with input order kept among
    // duplicates, so 'last' means the later triplet. O(n + rows + cols), typed arrays only.
    const byCol = stableCountingOrder(n, cols, (t) => colIdx[t], null);
    const order = stableCountingOrder(n, rows, (t) => rowIdx[t], byCol);
    const indptr = new Int32Array(rows + 1);
    const outCols = new Int32Array(n);
    const outVals = new Float32Array(n);
    let k = 0;
    for (let q = 0; q < n; q++) {
      const t = order[q];
      const r = rowIdx[t];
      const c = colIdx[t];
      const v = values ? values[t] : 1;
      if (q > 0 && rowIdx[order[q - 1]] === r && colIdx[order[q - 1]] === c) {
        if (duplicates === 'error') throw new ShapeError(`csr.fromTriplets: duplicate entry at (${r}, ${c})`);
        outVals[k - 1] = duplicates === 'sum' ? outVals[k - 1] + v : v;
        continue;
      }
      outCols[k] = c;
      outVals[k] = v;
      indptr[r + 1]++;
      k++;
    }
    for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
    return new CsrMatrix(rows, cols, indptr, outCols.slice(0, k), outVals.slice(0, k));
  }

  /** Builds a matrix from a dense row-major array, storing the non-zero entries. */
  static fromDense(rows: number, cols: number, dense: ArrayLike<number>): CsrMatrix {
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = dense[i * cols + j];
        if (x !== 0) {
          r.push(i);
          c.push(j);
          v.push(x);
        }
      }
    }
    return CsrMatrix.fromTriplets(rows, cols, r, c, v, 'error');
  }

  /** Number of stored entries in row r. */
  rowNnz(r: number): number {
    return this.indptr[r + 1] - this.indptr[r];
  }

  /** A new matrix made of the given rows, in the given order (e.g. a shuffled batch of users). */
  sliceRows(rowIds: ArrayLike<number>): CsrMatrix {
    const m = rowIds.length;
    const indptr = new Int32Array(m + 1);
    for (let b = 0; b < m; b++) {
      const r = rowIds[b];
      if (!(r >= 0 && r < this.rows && Number.isInteger(r))) {
        throw new ShapeError(`csr.sliceRows: row ${r} outside ${fmtShape(this.rows, this.cols)}`);
      }
      indptr[b + 1] = indptr[b] + this.rowNnz(r);
    }
    const indices = new Int32Array(indptr[m]);
    const values = new Float32Array(indptr[m]);
    for (let b = 0; b < m; b++) {
      const r = rowIds[b];
      indices.set(this.indices.subarray(this.indptr[r], this.indptr[r + 1]), indptr[b]);
      values.set(this.values.subarray(this.indptr[r], this.indptr[r + 1]), indptr[b]);
    }
    return new CsrMatrix(m, this.cols, indptr, indices, values);
  }

  /** Rows [start, end) as a new matrix (copies). */
  rowRange(start: number, end: number): CsrMatrix {
    const ids = new Int32Array(Math.max(0, end - start));
    for (let i = 0; i < ids.length; i++) ids[i] = start + i;
    return this.sliceRows(ids);
  }

  /** The transpose, as a new CSR matrix (i.e. the CSC form of this one). */
  transpose(): CsrMatrix {
    const counts = new Int32Array(this.cols + 1);
    for (let p = 0; p < this.nnz; p++) counts[this.indices[p] + 1]++;
    for (let c = 0; c < this.cols; c++) counts[c + 1] += counts[c];
    const fill = counts.slice(0, this.cols);
    const indices = new Int32Array(this.nnz);
    const values = new Float32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) {
        const q = fill[this.indices[p]]++;
        indices[q] = r;
        values[q] = this.values[p];
      }
    }
    return new CsrMatrix(this.cols, this.rows, counts, indices, values);
  }

  /** The same structure with new values (length nnz). */
  withValues(values: Float32Array): CsrMatrix {
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, values);
  }

  /** Dense row-major copy (for tests and small matrices). */
  toDense(): Float32Array {
    const out = new Float32Array(this.rows * this.cols);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) out[r * this.cols + this.indices[p]] = this.values[p];
    }
    return out;
  }
}

/** Stable counting sort of the items `input` (or 0..n-1 when null) by key(t) in [0, keys). */
function stableCountingOrder(
  n: number,
  keys: number,
  key: (t: number) => number,
  input: Int32Array | null,
): Int32Array {
  const start = new Int32Array(keys + 1);
  for (let t = 0; t < n; t++) start[key(t) + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const out = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const t = input ? input[q] : q;
    out[start[key(t)]++] = t;
  }
  return out;
}
