import { z } from 'zod';

import { Rng } from '../../engine/rng.js';
import type { Dataset, GroundTruthFactors } from '../dataset.js';
import { searchCdf } from '../sampling.js';

export const SYNTHETIC_SIZES = {
  tiny: { users: 240, items: 150, meanItemsPerUser: 25 },
  small: { users: 2000, items: 800, meanItemsPerUser: 45 },
  // activity chosen so that binarising at > 3.5 leaves about as many positives as the real dataset
  'ml-100k': { users: 943, items: 1682, meanItemsPerUser: 85 },
  'ml-1m': { users: 6040, items: 3706, meanItemsPerUser: 142 },
  'ml-20m': { users: 136_677, items: 20_108, meanItemsPerUser: 103 },
} as const;
export type SyntheticSize = keyof typeof SYNTHETIC_SIZES;

export const SyntheticConfig = z
  .object({
    size: z
      .enum(Object.keys(SYNTHETIC_SIZES) as [SyntheticSize, ...SyntheticSize[]])
      .default('small')
      .describe('users x items x activity preset: tiny (tests), small (demo), or a MovieLens shape'),
    seed: z.number().int().min(0).default(0).describe('seed of the generated data (independent of experiment seeds)'),
    genres: z.number().int().min(2).max(18).default(6).describe('number of genres (K planted concepts)'),
    yearBands: z.number().int().min(1).max(8).default(5).describe('number of release-decade bands'),
    qualityBands: z.number().int().min(1).max(5).default(3).describe('number of quality bands (low .. high)'),
    popularityExponent: z.number().min(0).default(0.9).describe('item popularity ~ (rank + 10)^-exponent'),
    activitySigma: z.number().min(0).default(0.9).describe('log-normal spread of items per user'),
    genreConcentration: z
      .number()
      .positive()
      .default(0.25)
      .describe('Dirichlet concentration of user genre tastes (small: each user likes few genres)'),
    yearStrength: z.number().min(0).default(1).describe('how fast interest decays per decade from the preferred one'),
    qualityStrength: z.number().min(0).default(0.8).describe('how much users favour higher-quality items'),
    ratingNoise: z.number().min(0).default(0.8).describe('standard deviation of the rating noise (1-5 stars)'),
  })
  .strict();
export type SyntheticConfig = z.infer<typeof SyntheticConfig>;

const GENRE_NAMES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi', 'Thriller', 'Documentary', 'Animation',
  'Western', 'Musical', 'Crime', 'Fantasy', 'War', 'Mystery', 'Adventure', 'Film-Noir', 'Children']; // prettier-ignore
const QUALITY_NAMES = [['mid'], ['low', 'high'], ['low', 'mid', 'high'], ['low', 'fair', 'good', 'top'],
  ['poor', 'low', 'mid', 'good', 'top']]; // prettier-ignore

/**
 * Generates implicit-feedback data with known generative factors (the "genre, year, rating" factors of the
 * "Decoding Latent Factors" study). Items have one genre, a release-decade band and a quality band, plus a long-tail
 * base popularity; users have Dirichlet genre tastes, a preferred decade and a quality preference. A user picks item
 * i with probability proportional to popularity(i) * genreTaste(u, genre(i)) * decadeTaste(u, year(i)) *
 * qualityTaste(u, quality(i)), without replacement, and rates it 1-5 from quality, genre taste and noise.
 * The ground-truth factors (item levels and user preference vectors) come back with the data.
 */
export function generateSynthetic(config: Partial<SyntheticConfig> = {}): Dataset {
  const cfg = SyntheticConfig.parse(config);
  const { users, items, meanItemsPerUser } = SYNTHETIC_SIZES[cfg.size];
  const { genres: K, yearBands: Y, qualityBands: Q } = cfg;
  const root = Rng.seeded(cfg.seed).derive('synthetic');

  // items
  const irng = root.derive('items');
  const genre = Int32Array.from({ length: items }, () => irng.int(K));
  const yearWeights = Array.from({ length: Y }, (_, b) => b + 1); // more recent decades have more films
  const qualityWeights = Array.from({ length: Q }, (_, q) => 1 + Math.min(q, Q - 1 - q)); // middle bands commonest
  const year = Int32Array.from({ length: items }, () => categorical(irng, yearWeights));
  const quality = Int32Array.from({ length: items }, () => categorical(irng, qualityWeights));
  const rank = irng.permutation(items);
  const mid = (Q - 1) / 2;
  const pop = Float64Array.from(
    rank,
    (r, i) => Math.pow(r + 10, -cfg.popularityExponent) * Math.exp(0.5 * (quality[i] - mid)),
  );

  // cells (genre, year, quality): each with its items' popularity CDF, for fast sampling
  const cells = K * Y * Q;
  const cellOf = (i: number) => (genre[i] * Y + year[i]) * Q + quality[i];
  const members: number[][] = Array.from({ length: cells }, () => []);
  for (let i = 0; i < items; i++) members[cellOf(i)].push(i);
  const cellMass = new Float64Array(cells);
  const cellCdf = members.map((list, c) => {
    let acc = 0;
    const cdf = Float64Array.from(list, (i) => (acc += pop[i]));
    cellMass[c] = acc;
    return cdf;
  });

  // users
  const urng = root.derive('users');
  const genreTaste = new Float32Array(users * K);
  const yearTaste = new Float32Array(users * Y);
  const qualityTaste = new Float32Array(users * Q);
  for (let u = 0; u < users; u++) {
    const g = Array.from({ length: K }, () => gamma(urng, cfg.genreConcentration));
    const gs = g.reduce((a, b) => a + b, 0);
    g.forEach((v, k) => (genreTaste[u * K + k] = v / gs));
    const pref = categorical(urng, yearWeights);
    const yw = Array.from({ length: Y }, (_, b) => Math.exp(-cfg.yearStrength * Math.abs(b - pref)));
    const ys = yw.reduce((a, b) => a + b, 0);
    yw.forEach((v, b) => (yearTaste[u * Y + b] = v / ys));
    const slope = cfg.qualityStrength * (0.5 + 0.5 * urng.normal());
    const qw = Array.from({ length: Q }, (_, q) => Math.exp(slope * (q - mid)));
    const qs = qw.reduce((a, b) => a + b, 0);
    qw.forEach((v, q) => (qualityTaste[u * Q + q] = v / qs));
  }

  // interactions
  const arng = root.derive('activity');
  const activity = Float64Array.from({ length: users }, () => Math.exp(cfg.activitySigma * arng.normal()));
  const meanActivity = activity.reduce((a, b) => a + b, 0) / users;
  const counts = Int32Array.from(activity, (a) =>
    Math.min(Math.floor(items / 2), Math.max(10, Math.round((meanItemsPerUser * a) / meanActivity))),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  const user = new Int32Array(total);
  const item = new Int32Array(total);
  const rating = new Float32Array(total);
  const timestamp = new Float64Array(total);
  const pick = root.derive('picks');
  const weights = new Float64Array(cells);
  const taken = new Uint8Array(items);
  let n = 0;
  for (let u = 0; u < users; u++) {
    let acc = 0;
    for (let c = 0; c < cells; c++) {
      const q = c % Q;
      const y = Math.floor(c / Q) % Y;
      const g = Math.floor(c / (Q * Y));
      acc += genreTaste[u * K + g] * yearTaste[u * Y + y] * qualityTaste[u * Q + q] * cellMass[c];
      weights[c] = acc;
    }
    let t = 946_684_800 + pick.uniform() * 15 * 365 * 86_400; // a start date between 2000 and 2015
    const start = n;
    for (let tries = 0; n - start < counts[u] && tries < 20 * counts[u]; tries++) {
      const c = searchCdf(weights, pick.uniform() * acc);
      const cdf = cellCdf[c];
      const i = members[c][searchCdf(cdf, pick.uniform() * cdf[cdf.length - 1])];
      if (taken[i]) continue;
      taken[i] = 1;
      const love = Math.tanh(genreTaste[u * K + genre[i]] * K - 1);
      const raw = 3.3 + 0.8 * (quality[i] - mid) + 0.8 * love + cfg.ratingNoise * pick.normal();
      user[n] = u;
      item[n] = i;
      rating[n] = Math.min(5, Math.max(1, Math.round(raw)));
      timestamp[n] = Math.round((t += pick.uniform() * 2 * 86_400));
      n++;
    }
    for (let p = start; p < n; p++) taken[item[p]] = 0;
  }

  const genreNames = Array.from({ length: K }, (_, k) => GENRE_NAMES[k] ?? `genre-${k}`);
  const decade = (b: number) => 2010 - 10 * (Y - 1 - b);
  const factors: GroundTruthFactors = {
    itemFactors: ['genre', 'year', 'quality'],
    itemLevels: [genre, year, quality],
    itemLevelCounts: [K, Y, Q],
    itemLevelNames: [genreNames, Array.from({ length: Y }, (_, b) => `${decade(b)}s`), QUALITY_NAMES[Q - 1]],
    userPreferences: [genreTaste, yearTaste, qualityTaste],
  };
  const yrng = root.derive('years');
  return {
    name: 'synthetic',
    ratings: {
      userIds: Array.from({ length: users }, (_, u) => `u${u + 1}`),
      itemIds: Array.from({ length: items }, (_, i) => `i${i + 1}`),
      user: user.slice(0, n),
      item: item.slice(0, n),
      rating: rating.slice(0, n),
      timestamp: timestamp.slice(0, n),
    },
    ratingScale: { min: 1, max: 5 },
    itemMeta: {
      title: Array.from(genre, (g, i) => `${genreNames[g]} ${decade(year[i])}s #${i + 1}`),
      genres: Array.from(genre, (g) => [genreNames[g]]),
      year: Array.from(year, (b) => decade(b) + yrng.int(10)),
    },
    userMeta: null,
    factors,
    source: { kind: 'generated', config: cfg },
  };
}

function categorical(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rng.uniform() * total;
  for (let k = 0; k < weights.length; k++) {
    x -= weights[k];
    if (x < 0) return k;
  }
  return weights.length - 1;
}

/** Gamma(shape, 1) by Marsaglia-Tsang (with the shape < 1 boost). */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.uniformOpen(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = rng.uniformOpen();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
