import type { Command } from 'commander';

import { shapedInteractions } from '../../data/shaped.js';
import { Adam } from '../../engine/optim.js';
import { Rng } from '../../engine/rng.js';
import { selectKernels } from '../../engine/kernels/select.js';
import { MultVaeNet } from '../../models/multvae-net.js';
import { runDoctor } from '../../system/doctor.js';
import { trainEpoch } from '../../train/epoch.js';
import { formatVersion } from '../../version.js';
import { makeOutput } from '../output.js';
import { parseInteger } from '../parse.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job on built-in synthetic data (no network): environment check, then a short training run')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--epochs <n>', 'training epochs', '5')
    .option('--seed <n>', 'root random seed', '1')
    .action((opts: { json?: boolean; epochs: string; seed: string }) => {
      const out = makeOutput(Boolean(opts.json));
      const epochs = parseInteger('--epochs', opts.epochs, 1);
      const seed = parseInteger('--seed', opts.seed, 0);
      const doctor = runDoctor(0.3);
      out.note(
        `untangle ${formatVersion(doctor.untangle)} on Node ${doctor.node}: ${doctor.kernels.provider} kernels ` +
          `(${doctor.kernels.reason}), ${doctor.kernels.threads} thread(s), GEMM probe ` +
          `${doctor.gemmProbe.gflops.toFixed(1)} GFLOPS`,
      );
      const { kernels } = selectKernels();
      const root = Rng.seeded(seed);
      const spec = { users: 2000, items: 800, draws: 60_000 };
      const data = shapedInteractions(spec, root.derive('data'));
      out.note(`training Mult-VAE on synthetic data: ${data.rows} users x ${data.cols} items, ${data.nnz} positives`);
      const net = new MultVaeNet(data.cols, { hidden: 200, latent: 50, totalAnnealSteps: 200 }, root.derive('net'));
      const opt = new Adam(net.parameters(), kernels, { lr: 1e-3 });
      const history: { epoch: number; meanLoss: number; seconds: number }[] = [];
      let step = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        const r = trainEpoch(net, data, opt, kernels, root.derive('train'), { epoch, step, batchSize: 100 });
        step = r.step;
        history.push({ epoch: epoch + 1, meanLoss: r.meanLoss, seconds: r.seconds });
        out.note(`  epoch ${epoch + 1}/${epochs}  loss ${r.meanLoss.toFixed(3)}  (${r.seconds.toFixed(2)} s)`);
      }
      const first = history[0].meanLoss;
      const last = history[history.length - 1].meanLoss;
      out.result(
        { doctor, data: { ...spec, positives: data.nnz }, seed, training: history },
        () => `done: loss ${first.toFixed(3)} -> ${last.toFixed(3)} over ${epochs} epochs (seed ${seed})`,
      );
    });
}
