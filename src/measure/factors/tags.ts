import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { kmeans } from 'ml-kmeans';

import { DataFormatError, DataMissingError } from '../../data/errors.js';
import { LineFields } from '../../data/fields.js';
import { forEachLine } from '../../data/lines.js';
import type { ItemFactors } from './types.js';

/** How relevant each tag is to each item, in [0, 1]. */
export interface TagRelevance {
  tags: string[];
  items: number;
  /** [items x tags] row-major. */
  relevance: Float32Array;
}

/**
 * Reads the MovieLens tag genome (genome-scores.csv: movieId,tagId,relevance; genome-tags.csv: tagId,tag) for the
 * items of `itemIndex` (original movie id -> column). Items the genome does not cover get relevance 0 everywhere.
 */
export function readTagGenome(dir: string, itemIndex: Map<string, number>): TagRelevance {
  const scores = join(dir, 'genome-scores.csv');
  const names = join(dir, 'genome-tags.csv');
  for (const f of [scores, names])
    if (!existsSync(f))
      throw new DataMissingError(
        `${f} is missing: tag factors need the MovieLens tag genome (ML-20M, ML-25M or ml-latest)`,
      );
  const tagIndex = new Map<string, number>();
  const tags: string[] = [];
  forEachLine(names, 'utf8', (line, no) => {
    if (no === 1 || line === '') return;
    const comma = line.indexOf(',');
    if (comma < 0) throw new DataFormatError(names, no, 'expected "tagId,tag"');
    const id = new LineFields(names, no, [line.slice(0, comma)]).id(0, 'tag');
    tagIndex.set(id, tags.length);
    tags.push(line.slice(comma + 1).replace(/^"(.*)"$/, '$1'));
  });
  const items = itemIndex.size ? Math.max(...itemIndex.values()) + 1 : 0;
  const relevance = new Float32Array(items * tags.length);
  forEachLine(scores, 'utf8', (line, no) => {
    if (no === 1 || line === '') return;
    const f = LineFields.split(scores, no, line, ',', 3);
    const item = itemIndex.get(f.id(0, 'movie'));
    const tag = tagIndex.get(f.id(1, 'tag'));
    if (tag === undefined) return f.fail(`tag id ${f.fields[1]} is not in genome-tags.csv`);
    const v = Number(f.fields[2]);
    if (!(v >= 0 && v <= 1)) f.fail(`relevance "${f.fields[2]}" is not a number in [0, 1]`);
    if (item !== undefined) relevance[item * tags.length + tag] = v;
  });
  return { tags, items, relevance };
}

/** Relevance from user-applied tags (tags.csv): 1 when anyone applied the (lower-cased) tag to the item, else 0. */
export function tagRelevanceFromItemTags(itemTags: readonly (readonly string[])[]): TagRelevance {
  const tags = [...new Set(itemTags.flat().map((t) => t.trim().toLowerCase()))].filter(Boolean).sort();
  const index = new Map(tags.map((t, k) => [t, k]));
  const relevance = new Float32Array(itemTags.length * tags.length);
  itemTags.forEach((list, i) => {
    for (const t of list) {
      const k = index.get(t.trim().toLowerCase());
      if (k !== undefined) relevance[i * tags.length + k] = 1;
    }
  });
  return { tags, items: itemTags.length, relevance };
}

export interface TagClusterOptions {
  /** How many tags to cluster: those whose relevance varies most across items. */
  topTags: number;
  clusters: number;
  /** An item belongs to a cluster when its mean relevance over the cluster's tags exceeds this. */
  threshold: number;
  seed: number;
}

export const TAG_CLUSTER_DEFAULTS: TagClusterOptions = { topTags: 100, clusters: 20, threshold: 0.4, seed: 0 };

/**
 * Item factors from tag clusters, the study's recipe: take the top-N tags, k-means (k-means++ start, seeded) the tags
 * by their relevance profile over items into `clusters` groups, and give an item a cluster's factor when its mean
 * relevance over that cluster's tags is above `threshold`. "Top" means largest variance of relevance across items
 * (the study does not say; variance keeps tags that tell items apart, and for 0/1 tags it ranks by frequency up to
 * half the items). Each factor is named by its three most variable tags.
 */
export function tagClusterFactors(
  rel: TagRelevance,
  options: Partial<TagClusterOptions> = {},
): ItemFactors & { clusterTags: string[][] } {
  const o = { ...TAG_CLUSTER_DEFAULTS, ...options };
  const T = rel.tags.length;
  const variance = rel.tags.map((_, t) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < rel.items; i++) {
      const v = rel.relevance[i * T + t];
      s += v;
      s2 += v * v;
    }
    const m = s / Math.max(1, rel.items);
    return s2 / Math.max(1, rel.items) - m * m;
  });
  const top = rel.tags
    .map((_, t) => t)
    .filter((t) => variance[t] > 0)
    .sort((a, b) => variance[b] - variance[a] || a - b)
    .slice(0, o.topTags);
  const k = Math.min(o.clusters, top.length);
  if (k === 0) return { names: [], items: rel.items, labels: new Uint8Array(0), clusterTags: [] };
  // each tag is a point: its relevance over all items
  const points = top.map((t) => Array.from({ length: rel.items }, (_, i) => rel.relevance[i * T + t]));
  const result = kmeans(points, k, { seed: o.seed, initialization: 'kmeans++', maxIterations: 300 });
  const members: number[][] = Array.from({ length: k }, () => []);
  result.clusters.forEach((c, p) => members[c].push(top[p]));
  const groups = members.filter((m) => m.length > 0);
  const labels = new Uint8Array(rel.items * groups.length);
  groups.forEach((tagsOf, f) => {
    for (let i = 0; i < rel.items; i++) {
      let s = 0;
      for (const t of tagsOf) s += rel.relevance[i * T + t];
      if (s / tagsOf.length > o.threshold) labels[i * groups.length + f] = 1;
    }
  });
  const clusterTags = groups.map((g) => g.map((t) => rel.tags[t]));
  return { names: clusterTags.map((g) => g.slice(0, 3).join('/')), items: rel.items, labels, clusterTags };
}
