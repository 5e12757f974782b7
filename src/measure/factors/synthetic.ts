import type { GroundTruthFactors } from '../../data/dataset.js';
import type { LabelMatrix } from '../matrix.js';
import type { ItemFactors } from './types.js';

/** "genre=Action", "year=1990s", "quality=high": one binary factor per level of each planted factor. */
function levelNames(truth: GroundTruthFactors): string[] {
  return truth.itemFactors.flatMap((f, k) => truth.itemLevelNames[k].map((level) => `${f}=${level}`));
}

/**
 * Item-level factors of a synthetic dataset: item i has "genre=g" for its planted genre, and likewise for its year
 * band and quality band (one-hot per planted factor). `items` lists the raw item index of each column to label.
 */
export function syntheticItemFactors(truth: GroundTruthFactors, items: ArrayLike<number>): ItemFactors {
  const names = levelNames(truth);
  const labels = new Uint8Array(items.length * names.length);
  for (let c = 0; c < items.length; c++) {
    let offset = 0;
    truth.itemFactors.forEach((_, k) => {
      labels[c * names.length + offset + truth.itemLevels[k][items[c]]] = 1;
      offset += truth.itemLevelCounts[k];
    });
  }
  return { names, items: items.length, labels };
}

/**
 * User-level factors of a synthetic dataset from the planted preferences themselves (not from sampled histories):
 * user u has "genre=g" when g is the genre u likes most, and likewise for the preferred decade and quality band.
 * `users` lists the raw user index of each row. Returns every level; the caller drops uninformative ones.
 */
export function syntheticUserFactors(truth: GroundTruthFactors, users: ArrayLike<number>): LabelMatrix {
  const names = levelNames(truth);
  const data = new Uint8Array(users.length * names.length);
  for (let r = 0; r < users.length; r++) {
    let offset = 0;
    truth.itemFactors.forEach((_, k) => {
      const L = truth.itemLevelCounts[k];
      const pref = truth.userPreferences[k];
      const base = users[r] * L;
      let best = 0;
      for (let l = 1; l < L; l++) if (pref[base + l] > pref[base + best]) best = l;
      data[r * names.length + offset + best] = 1;
      offset += L;
    });
  }
  return { data, rows: users.length, cols: names.length, names };
}
