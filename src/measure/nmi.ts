/**
 * Normalised mutual information between two labelings of the same items: I(A; B) / sqrt(H(A) H(B)) (the geometric
 * normalisation, as scikit-learn's average_method='geometric'); 1 for identical partitions up to relabelling, about 0
 * for independent ones. Labels are non-negative integers.
 */
export function normalizedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError('nmi: labelings differ in length');
  if (n === 0) return 0;
  const ka = Math.max(...Array.from(a)) + 1;
  const kb = Math.max(...Array.from(b)) + 1;
  const joint = new Float64Array(ka * kb);
  const pa = new Float64Array(ka);
  const pb = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    joint[a[i] * kb + b[i]] += 1 / n;
    pa[a[i]] += 1 / n;
    pb[b[i]] += 1 / n;
  }
  const entropy = (p: Float64Array) => p.reduce((s, x) => (x > 0 ? s - x * Math.log(x) : s), 0);
  let mi = 0;
  for (let i = 0; i < ka; i++) {
    for (let j = 0; j < kb; j++) {
      const pij = joint[i * kb + j];
      if (pij > 0) mi += pij * Math.log(pij / (pa[i] * pb[j]));
    }
  }
  const ha = entropy(pa);
  const hb = entropy(pb);
  if (ha === 0 && hb === 0) return 1;
  if (ha === 0 || hb === 0) return 0;
  return mi / Math.sqrt(ha * hb);
}
