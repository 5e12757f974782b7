/**
 * The raw interactions of a dataset before preprocessing: one row per rating event, users and items as dense indices
 * into `userIds` / `itemIds` (the original ids, as strings), in file order. Columns are typed arrays.
 */
export interface RatingTable {
  userIds: string[];
  itemIds: string[];
  user: Int32Array;
  item: Int32Array;
  rating: Float32Array;
  /** Unix seconds, or null when the source has no timestamps. */
  timestamp: Float64Array | null;
}

/** Maps original ids to dense indices in order of first appearance. */
export class IdIndex {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  /** The dense index of `id`, adding it if new. */
  of(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  /** The dense index of `id`, or undefined if unseen. */
  get(id: string): number | undefined {
    return this.index.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/** Accumulates rows into growable typed columns. */
export class RatingTableBuilder {
  readonly users = new IdIndex();
  readonly items = new IdIndex();
  private n = 0;
  private cap = 1024;
  private user = new Int32Array(this.cap);
  private item = new Int32Array(this.cap);
  private rating = new Float32Array(this.cap);
  private ts: Float64Array | null;

  constructor(withTimestamps: boolean) {
    this.ts = withTimestamps ? new Float64Array(this.cap) : null;
  }

  add(userId: string, itemId: string, rating: number, timestamp = 0): void {
    if (this.n === this.cap) this.grow();
    this.user[this.n] = this.users.of(userId);
    this.item[this.n] = this.items.of(itemId);
    this.rating[this.n] = rating;
    if (this.ts) this.ts[this.n] = timestamp;
    this.n++;
  }

  get length(): number {
    return this.n;
  }

  build(): RatingTable {
    return {
      userIds: this.users.ids,
      itemIds: this.items.ids,
      user: this.user.slice(0, this.n),
      item: this.item.slice(0, this.n),
      rating: this.rating.slice(0, this.n),
      timestamp: this.ts ? this.ts.slice(0, this.n) : null,
    };
  }

  private grow(): void {
    this.cap *= 2;
    const grow = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.cap);
      b.set(a);
      return b;
    };
    this.user = grow(this.user, (n) => new Int32Array(n));
    this.item = grow(this.item, (n) => new Int32Array(n));
    this.rating = grow(this.rating, (n) => new Float32Array(n));
    if (this.ts) this.ts = grow(this.ts, (n) => new Float64Array(n));
  }
}
