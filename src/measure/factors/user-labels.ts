import type { CsrMatrix } from '../../engine/csr.js';
import type { LabelMatrix } from '../matrix.js';
import type { DroppedFactor, ItemFactors } from './types.js';

/** The study's rule for user-level factors (Dervishaj et al., ECIR 2025). */
export interface UserLabelRule {
  /** A user has factor c when at least this share of their interactions fall in c. */
  share: number;
  /** Keep only factors whose positive rate lies in [minRate, maxRate). */
  minRate: number;
  maxRate: number;
}

export const STUDY_RULE: UserLabelRule = { share: 0.5, minRate: 0.01, maxRate: 0.99 };

/**
 * User-level binary factors from item-level ones: user u has factor c when >= share of the items in their history
 * ([users x items]) carry c. Factors whose positive rate falls outside [minRate, maxRate) are dropped (a classifier
 * cannot learn a factor nobody or everybody has) and reported.
 */
export function userFactorsFromItems(
  history: CsrMatrix,
  items: ItemFactors,
  rule: UserLabelRule = STUDY_RULE,
): { labels: LabelMatrix; dropped: DroppedFactor[] } {
  const F = items.names.length;
  if (history.cols !== items.items)
    throw new RangeError(`user factors: history has ${history.cols} items, item factors ${items.items}`);
  const all = new Uint8Array(history.rows * F);
  const counts = new Float64Array(F);
  for (let u = 0; u < history.rows; u++) {
    counts.fill(0);
    const start = history.indptr[u];
    const end = history.indptr[u + 1];
    for (let p = start; p < end; p++) {
      const row = history.indices[p] * F;
      for (let f = 0; f < F; f++) counts[f] += items.labels[row + f];
    }
    const n = end - start;
    if (n === 0) continue;
    for (let f = 0; f < F; f++) all[u * F + f] = counts[f] >= rule.share * n ? 1 : 0;
  }
  return keepInformative(all, history.rows, items.names, rule);
}

/** Drops factor columns whose positive rate is outside [minRate, maxRate). */
export function keepInformative(
  all: Uint8Array,
  rows: number,
  names: string[],
  rule: Pick<UserLabelRule, 'minRate' | 'maxRate'>,
): { labels: LabelMatrix; dropped: DroppedFactor[] } {
  const F = names.length;
  const kept: number[] = [];
  const dropped: DroppedFactor[] = [];
  for (let f = 0; f < F; f++) {
    let pos = 0;
    for (let u = 0; u < rows; u++) pos += all[u * F + f];
    const rate = rows ? pos / rows : 0;
    if (rate >= rule.minRate && rate < rule.maxRate) kept.push(f);
    else
      dropped.push({
        name: names[f],
        positiveRate: rate,
        reason:
          rate < rule.minRate
            ? `fewer than ${rule.minRate * 100}% of users`
            : `${rule.maxRate * 100}% of users or more`,
      });
  }
  const data = new Uint8Array(rows * kept.length);
  for (let u = 0; u < rows; u++) for (let k = 0; k < kept.length; k++) data[u * kept.length + k] = all[u * F + kept[k]];
  return { labels: { data, rows, cols: kept.length, names: kept.map((f) => names[f]) }, dropped };
}
