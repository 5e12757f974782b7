/** Binary item-level factors: item i has factor f when labels[i * names.length + f] = 1 (an item may have several). */
export interface ItemFactors {
  names: string[];
  items: number;
  /** [items x factors] row-major, 0/1. */
  labels: Uint8Array;
}

/** Why a factor was left out of the user-level labels. */
export interface DroppedFactor {
  name: string;
  /** Share of users with the factor. */
  positiveRate: number;
  reason: string;
}
