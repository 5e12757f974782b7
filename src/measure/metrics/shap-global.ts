/** Global SHAP importance: how much each input column moves predictions on average. */
import type { Matrix } from '../matrix.js';

/** Mean |SHAP value| per column of shapValues [rows x cols] (the study's SHAP-global); [cols], in the model's output units. */
export function shapGlobal(shapValues: Matrix): Float64Array {
  const { rows: n, cols: d, data } = shapValues;
  if (n === 0) throw new RangeError('shapGlobal: no rows');
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[k] += Math.abs(data[i * d + k]);
  for (let k = 0; k < d; k++) out[k] /= n;
  return out;
}
