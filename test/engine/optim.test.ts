// Optimisers against hand-computed updates (torch.optim semantics), under every provider.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Adam, Sgd, Tensor } from '../../src/engine/index.js';
import { providers } from '../helpers/providers.js';

for (const { name, kernels } of providers()) {
  describe(`optimisers (${name})`, () => {
    test('Adam: two steps match the closed form', () => {
      const p = Tensor.param(1, 2, Float32Array.of(1, -2));
      const opt = new Adam([p], kernels, { lr: 0.1, weightDecay: 0.5 });
      const grads = [
        [0.5, -1],
        [0.25, 2],
      ];
      // reference in float64: g += wd * p; m, v moments; p -= lr / bc1 * m / (sqrt(v / bc2) + eps)
      const ref = [1, -2];
      const m = [0, 0];
      const v = [0, 0];
      grads.forEach((gs, t) => {
        p.grad = Float32Array.from(gs);
        opt.step();
        for (let i = 0; i < 2; i++) {
          const g = gs[i] + 0.5 * ref[i];
          m[i] = 0.9 * m[i] + 0.1 * g;
          v[i] = 0.999 * v[i] + 0.001 * g * g;
          const bc1 = 1 - 0.9 ** (t + 1);
          const bc2 = 1 - 0.999 ** (t + 1);
          ref[i] -= ((0.1 / bc1) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8);
        }
        for (let i = 0; i < 2; i++)
          assert.ok(Math.abs(p.data[i] - ref[i]) < 1e-6, `step ${t}: ${p.data[i]} vs ${ref[i]}`);
      });
      assert.equal(opt.stepCount, 2);
    });

    test('AdamW decays the weights directly', () => {
      const p = Tensor.param(1, 1, Float32Array.of(2));
      const opt = new Adam([p], kernels, { lr: 0.1, weightDecay: 0.5, decoupled: true });
      p.grad = Float32Array.of(0);
      opt.step();
      assert.ok(Math.abs(p.data[0] - 2 * (1 - 0.05)) < 1e-6); // zero gradient: only the decay moves it
    });

    test('Adam skips parameters without a gradient and state round-trips', () => {
      const [a, b] = [Tensor.param(1, 1, Float32Array.of(1)), Tensor.param(1, 1, Float32Array.of(1))];
      const opt = new Adam([a, b], kernels, { lr: 0.1 });
      a.grad = Float32Array.of(1);
      opt.step();
      assert.equal(b.data[0], 1);
      assert.ok(a.data[0] < 1);
      const s = opt.getState();
      const other = new Adam([a, b], kernels, { lr: 0.1 });
      other.setState(s);
      assert.deepEqual(other.getState(), s);
      opt.zeroGrad();
      assert.equal(a.grad[0], 0);
    });
  });
}

test('SGD with momentum (torch semantics: first step uses the raw gradient)', () => {
  const p = Tensor.param(1, 1, Float32Array.of(1));
  const opt = new Sgd([p], { lr: 0.1, momentum: 0.9 });
  p.grad = Float32Array.of(1);
  opt.step();
  assert.ok(Math.abs(p.data[0] - 0.9) < 1e-7);
  opt.step();
  assert.ok(Math.abs(p.data[0] - (0.9 - 0.1 * 1.9)) < 1e-6);
});
