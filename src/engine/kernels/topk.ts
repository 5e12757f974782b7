/**
 * Portable top-k per row with exclusions (see Kernels.topK): a size-k heap with the worst candidate on top, scanning
 * columns in increasing order so that among equal scores the lower column wins.
 */
export function topKRows(
  m: number,
  n: number,
  scores: Float32Array,
  exPtr: Int32Array,
  exIdx: Int32Array,
  k: number,
  out: Int32Array,
): void {
  const hs = new Float64Array(k);
  const hi = new Int32Array(k);
  // a (score sa, index ia) ranks before (sb, ib)
  const better = (sa: number, ia: number, sb: number, ib: number) => sa > sb || (sa === sb && ia < ib);
  const swap = (a: number, b: number) => {
    const s = hs[a];
    hs[a] = hs[b];
    hs[b] = s;
    const t = hi[a];
    hi[a] = hi[b];
    hi[b] = t;
  };
  const siftDown = (size: number) => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < size && better(hs[w], hi[w], hs[l], hi[l])) w = l;
      if (r < size && better(hs[w], hi[w], hs[r], hi[r])) w = r;
      if (w === i) return;
      swap(i, w);
      i = w;
    }
  };
  for (let r = 0; r < m; r++) {
    const base = r * n;
    let p = exPtr[r];
    const pe = exPtr[r + 1];
    let size = 0;
    for (let i = 0; i < n; i++) {
      while (p < pe && exIdx[p] < i) p++;
      if (p < pe && exIdx[p] === i) continue;
      const s = scores[base + i];
      const v = s === s ? s : -Infinity;
      if (size < k) {
        let c = size++;
        hs[c] = v;
        hi[c] = i;
        while (c > 0) {
          const parent = (c - 1) >> 1;
          if (!better(hs[parent], hi[parent], hs[c], hi[c])) break;
          swap(c, parent);
          c = parent;
        }
      } else if (better(v, i, hs[0], hi[0])) {
        hs[0] = v;
        hi[0] = i;
        siftDown(size);
      }
    }
    const o = r * k;
    for (let q = size; q < k; q++) out[o + q] = -1;
    for (let q = size - 1; q >= 0; q--) {
      out[o + q] = hi[0];
      hs[0] = hs[q];
      hi[0] = hi[q];
      siftDown(q);
    }
  }
}
