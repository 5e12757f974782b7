import type { Kernels } from '../../engine/kernels/types.js';
import { Adam } from '../../engine/optim.js';
import type { Tensor } from '../../engine/tensor.js';

/**
 * Adam over named parameters with an L2 penalty l2 * sum(W^2) on weights only (names not ending in ".b"), applied as
 * the gradient term 2 * l2 * W (Liang et al. penalise weights, not biases). One optimiser when l2 is 0.
 */
export function adamWithL2(params: [string, Tensor][], kernels: Kernels, lr: number, l2: number): Record<string, Adam> {
  if (l2 === 0)
    return {
      all: new Adam(
        params.map(([, p]) => p),
        kernels,
        { lr },
      ),
    };
  const weights = params.filter(([n]) => !n.endsWith('.b')).map(([, p]) => p);
  const biases = params.filter(([n]) => n.endsWith('.b')).map(([, p]) => p);
  return {
    weights: new Adam(weights, kernels, { lr, weightDecay: 2 * l2 }),
    biases: new Adam(biases, kernels, { lr }),
  };
}
