/**
 * The plain data types of the measurement cores: dense row-major float64 matrices of codes and 0/1 factor labels.
 * Every metric and learner in src/measure works on these, so the cores stay independent of models and datasets.
 */

/** A dense row-major matrix [rows x cols] (e.g. user codes: one row per user, one column per code dimension). */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Binary ground-truth factors [rows x cols] row-major, 0 or 1, with one name per factor (column). */
export interface LabelMatrix {
  data: Uint8Array;
  rows: number;
  cols: number;
  names: string[];
}

export function matrix(rows: number, cols: number, data: Float64Array = new Float64Array(rows * cols)): Matrix {
  if (data.length !== rows * cols) throw new RangeError(`matrix: ${data.length} values for ${rows} x ${cols}`);
  return { data, rows, cols };
}

/** Rows [from, to) of a matrix, copied. */
export function sliceRows(m: Matrix, from: number, to: number): Matrix {
  return matrix(to - from, m.cols, m.data.slice(from * m.cols, to * m.cols));
}

/** Column j of a label matrix as its own array. */
export function labelColumn(y: LabelMatrix, j: number): Uint8Array {
  const out = new Uint8Array(y.rows);
  for (let i = 0; i < y.rows; i++) out[i] = y.data[i * y.cols + j];
  return out;
}

/** Column j of a matrix as its own array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}
