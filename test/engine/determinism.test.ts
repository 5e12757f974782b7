// Same seed + provider + thread count -> identical loss trajectory; the native kernels are moreover independent of
// the thread count, so 1 and 2 threads give the same numbers bit for bit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { shapedInteractions } from '../../src/data/shaped.js';
import { BufferPool, Graph, Rng, type Kernels } from '../../src/engine/index.js';
import { AutoencoderNet, MultVaeConfig } from '../../src/models/neural/autoencoder.js';
import { native, providers, skipNative } from '../helpers/providers.js';

/** Losses of `steps` Mult-VAE updates on a small random matrix, everything derived from `seed`. */
function trajectory(kernels: Kernels, seed: number, steps = 6, pool?: BufferPool): number[] {
  const root = Rng.seeded(seed);
  const data = shapedInteractions({ users: 120, items: 90, draws: 2400, minPerUser: 5 }, root.derive('data'));
  const net = new AutoencoderNet(
    'multvae',
    MultVaeConfig.parse({ hidden: [32], latent: 8, totalAnnealSteps: 10, lr: 1e-2 }),
    data.cols,
    root,
  );
  const opt = Object.values(net.optimizers(kernels));
  const order = root.derive('order').permutation(data.rows);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const batch = data.sliceRows(order.subarray((step % 4) * 30, (step % 4) * 30 + 30));
    const g = new Graph(kernels, { pool });
    const loss = net.loss(g, batch, step, root.derive('step', step));
    g.backward(loss);
    losses.push(loss.item());
    g.release();
    for (const o of opt) {
      o.step();
      o.zeroGrad();
    }
  }
  return losses;
}

describe('determinism', () => {
  for (const { name, kernels } of providers()) {
    test(`${name}: same seed, same trajectory; another seed, another`, () => {
      const a = trajectory(kernels, 1);
      assert.deepEqual(trajectory(kernels, 1), a);
      assert.notDeepEqual(trajectory(kernels, 2), a);
      assert.ok(a[a.length - 1] < a[0], `loss should fall: ${a.join(', ')}`);
    });
  }

  test('reusing buffers through a pool changes nothing (no aliasing between steps)', () => {
    const kernels = providers()[0].kernels;
    const pool = new BufferPool({ minFloats: 1 }); // pool every buffer, however small
    assert.deepEqual(trajectory(kernels, 6, 8, pool), trajectory(kernels, 6, 8));
  });

  test('native: 1 and 2 threads give bitwise identical trajectories', { skip: skipNative }, () => {
    assert.deepEqual(trajectory(native(2), 3), trajectory(native(1), 3));
  });

  test('native and portable trajectories agree to float32 rounding', { skip: skipNative }, () => {
    const p = trajectory(providers()[0].kernels, 4);
    const n = trajectory(native(2), 4);
    p.forEach((v, i) => assert.ok(Math.abs(v - n[i]) <= 1e-3 * Math.abs(v), `step ${i}: ${v} vs ${n[i]}`));
  });
});
