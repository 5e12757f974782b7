import type { CsrMatrix } from '../engine/csr.js';
import type { Kernels } from '../engine/kernels/types.js';
import { UntangleError } from '../errors.js';
import type { Recommender } from './model.js';
import { AutoencoderNet } from './neural/autoencoder.js';
import { FactorizationNet } from './neural/factorization.js';
import { MacridVaeNet } from './neural/macridvae.js';
import { NeuralRecommender, type NeuralNet } from './neural/recommender.js';
import { RecVaeNet } from './neural/recvae.js';
import { PureSvd } from './puresvd.js';

/** A matrix of representations: row-major [rows x dim]. */
export interface Codes {
  data: Float32Array;
  rows: number;
  dim: number;
}

/** The learned representations of a model, the input of disentanglement measurement and factor decoding. */
export interface Representations {
  /** What the user code is, e.g. "mu of q(z|x)". */
  readonly userCodeName: string;
  /** User codes for a batch of histories (mu for VAEs, the bottleneck for AEs, x V for PureSVD, folded-in p_u for MF). */
  userCodes(history: CsrMatrix): Codes;
  /** Item vectors where the model has them (item embeddings, decoder columns, item factors), else null. */
  itemCodes(): Codes | null;
  /** MacridVAE only: the K x dfac facets and the per-concept weights of each user. */
  facets?(history: CsrMatrix): { facets: Codes; conceptWeights: Codes };
  /** MacridVAE only: the concept assignment of every item, [items x K] (rows sum to 1). */
  conceptAssignment?(): Codes;
}

/** The model has no latent representation (TopPop, item-kNN, EASE work in item space). */
export class NoRepresentationError extends UntangleError {
  constructor(model: string) {
    super('E_NO_REPRESENTATION', `${model} has no latent user representation; use a factor or autoencoder model`);
  }
}

const codes = (data: Float32Array, rows: number): Codes => ({ data, rows, dim: rows ? data.length / rows : 0 });

/** The representations of a fitted model. */
export function representationsOf(model: Recommender, kernels: Kernels): Representations {
  if (model instanceof PureSvd) {
    const v = model.state().tensors.V;
    return {
      userCodeName: 'x V (the user in the rank-k SVD basis)',
      userCodes: (h) => codes(model.encode(h, kernels), h.rows),
      itemCodes: () => ({ data: v.data as Float32Array, rows: v.shape[0], dim: v.shape[1] }),
    };
  }
  if (!(model instanceof NeuralRecommender)) throw new NoRepresentationError(model.name);
  const net = (model as NeuralRecommender<NeuralNet>).net;
  const base = {
    userCodes: (h: CsrMatrix) => codes(net.codes(kernels, h), h.rows),
  };
  if (net instanceof MacridVaeNet) {
    const { concepts: K, dfac: d } = net.config;
    return {
      ...base,
      userCodeName: 'facet-averaged mu: each of the K facets averaged over its dfac dimensions',
      itemCodes: () => ({ data: net.itemEmb.data, rows: net.items, dim: d }),
      facets: (h) => {
        const r = net.representations(kernels, h);
        return {
          facets: { data: r.facets, rows: h.rows, dim: K * d },
          conceptWeights: { data: r.conceptWeights, rows: h.rows, dim: K },
        };
      },
      conceptAssignment: () => ({ data: net.itemConcepts(kernels), rows: net.items, dim: K }),
    };
  }
  if (net instanceof FactorizationNet) {
    return {
      ...base,
      userCodeName: 'folded-in user factors p_u',
      itemCodes: () => ({ data: net.q.data, rows: net.items, dim: net.config.factors }),
    };
  }
  if (net instanceof AutoencoderNet || net instanceof RecVaeNet) {
    const variational = net instanceof RecVaeNet || net.variational;
    return {
      ...base,
      userCodeName: variational ? 'mu of q(z|x)' : 'the bottleneck activation',
      itemCodes: () => {
        // the output layer's weights [hidden x items]: column i is item i's vector
        const entry = net
          .parameters()
          .filter(([n]) => n.startsWith('dec') && n.endsWith('.w'))
          .at(-1);
        if (!entry) return null;
        const w = entry[1];
        const out = new Float32Array(w.cols * w.rows);
        for (let r = 0; r < w.rows; r++) for (let c = 0; c < w.cols; c++) out[c * w.rows + r] = w.data[r * w.cols + c];
        return { data: out, rows: w.cols, dim: w.rows };
      },
    };
  }
  throw new NoRepresentationError(model.name);
}
