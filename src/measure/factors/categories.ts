import type { ItemFactors } from './types.js';

/**
 * Item-level factors from item categories (MovieLens genres or any item -> categories map): one binary factor per
 * category, in the order given by `vocabulary` or, by default, sorted by name. Items with no category have none.
 * "(no genres listed)" and empty names are not categories.
 */
export function itemFactorsFromCategories(
  categories: readonly (readonly string[])[],
  vocabulary?: string[],
): ItemFactors {
  const names =
    vocabulary ??
    [...new Set(categories.flat())]
      .filter((c) => c !== '' && c !== '(no genres listed)')
      .sort((a, b) => a.localeCompare(b));
  const index = new Map(names.map((c, f) => [c, f]));
  const labels = new Uint8Array(categories.length * names.length);
  categories.forEach((cats, i) => {
    for (const c of cats) {
      const f = index.get(c);
      if (f !== undefined) labels[i * names.length + f] = 1;
    }
  });
  return { names, items: categories.length, labels };
}
