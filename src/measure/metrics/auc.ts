/** Area under the ROC curve, as sklearn's roc_auc_score for binary labels. */

/**
 * ROC AUC in [0, 1] of `scores` [n] for binary `labels` [n] in {0, 1}: the Mann-Whitney probability that a random
 * positive scores above a random negative, ties counted as one half (average ranks). Throws when only one class is
 * present, where AUC is undefined (sklearn raises too).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new RangeError(`auc: ${n} labels but ${scores.length} scores`);
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`auc: label ${labels[i]} at ${i} is not 0 or 1`);
    if (Number.isNaN(scores[i])) throw new RangeError(`auc: score at ${i} is NaN`);
    nPos += labels[i];
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw new RangeError('auc: only one class present, ROC AUC is undefined');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    scores[a] < scores[b] ? -1 : scores[a] > scores[b] ? 1 : 0,
  );
  // Sum of the positives' 1-based ranks, each tie group sharing its average rank.
  let rankSumPos = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (labels[order[k]] === 1) rankSumPos += averageRank;
    start = end;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
