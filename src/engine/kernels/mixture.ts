/** Portable weighted log-sum-exp (see Kernels.lseWeighted), one row at a time. */
export function lseWeightedRows(
  K: number,
  m: number,
  n: number,
  l: Float32Array[],
  w: Float32Array[],
  out: Float32Array,
): void {
  const acc = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    const off = r * n;
    for (let c = 0; c < n; c++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, l[k][off + c]);
      acc[c] = mx;
    }
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += w[k][w[k].length === n ? c : off + c] * Math.exp(l[k][off + c] - acc[c]);
      out[off + c] = acc[c] + Math.log(s);
    }
  }
}

/** Portable backward of lseWeighted (see Kernels.lseWeightedBackward). */
export function lseWeightedBackwardRows(
  K: number,
  m: number,
  n: number,
  l: Float32Array[],
  w: Float32Array[],
  out: Float32Array,
  g: Float32Array,
  gl: (Float32Array | null)[],
  r: (Float32Array | null)[],
): void {
  for (let k = 0; k < K; k++) {
    const glk = gl[k];
    const rk = r[k];
    if (!glk && !rk) continue;
    const perColumn = w[k].length === n && m * n !== n;
    for (let i = 0; i < m * n; i++) {
      const v = g[i] * Math.exp(l[k][i] - out[i]);
      if (rk) rk[i] = v;
      if (glk) glk[i] += v * w[k][perColumn ? i % n : i];
    }
  }
}
