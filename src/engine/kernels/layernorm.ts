/** Portable layer normalisation (see Kernels.layerNorm), one row at a time; statistics in double precision. */
export function layerNormRows(
  m: number,
  n: number,
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
  out: Float32Array,
  xhat: Float32Array,
  inv: Float32Array,
): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    let mean = 0;
    for (let c = 0; c < n; c++) mean += x[o + c];
    mean /= n;
    let v = 0;
    for (let c = 0; c < n; c++) v += (x[o + c] - mean) ** 2;
    inv[r] = 1 / Math.sqrt(v / n + eps);
    const s = inv[r];
    for (let c = 0; c < n; c++) {
      xhat[o + c] = (x[o + c] - mean) * s;
      out[o + c] = xhat[o + c] * gamma[c] + beta[c];
    }
  }
}

/** Portable backward of layerNorm (see Kernels.layerNormBackward). */
export function layerNormBackwardRows(
  m: number,
  n: number,
  g: Float32Array,
  xhat: Float32Array,
  inv: Float32Array,
  gamma: Float32Array,
  gx: Float32Array | null,
  gGamma: Float32Array | null,
  gBeta: Float32Array | null,
): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    let sumDy = 0;
    let sumDyX = 0;
    for (let c = 0; c < n; c++) {
      const dy = g[o + c] * gamma[c]; // d loss / d xhat
      sumDy += dy;
      sumDyX += dy * xhat[o + c];
      if (gGamma) gGamma[c] += g[o + c] * xhat[o + c];
      if (gBeta) gBeta[c] += g[o + c];
    }
    if (!gx) continue;
    const a = inv[r] / n;
    for (let c = 0; c < n; c++) gx[o + c] += a * (n * g[o + c] * gamma[c] - sumDy - xhat[o + c] * sumDyX);
  }
}
