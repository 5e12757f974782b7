#!/usr/bin/env node
import { Command, CommanderError } from 'commander';

import { UntangleError } from '../errors.js';
import { codeVersion } from '../version.js';
import { registerBench } from './commands/bench.js';
import { registerData } from './commands/data.js';
import { registerDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerMeasure } from './commands/measure.js';
import { registerModels } from './commands/models.js';
import { registerRecommend } from './commands/recommend.js';
import { registerTrain } from './commands/train.js';
import { reportError } from './output.js';

const json = process.argv.includes('--json');

const program = new Command('untangle')
  .description('disentangled, interpretable and user-controllable recommendation')
  .version(codeVersion().version)
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({ writeErr: (s) => (json ? undefined : process.stderr.write(s)) });

registerDoctor(program);
registerBench(program);
registerDemo(program);
registerData(program);
registerTrain(program);
registerEvaluate(program);
registerRecommend(program);
registerMeasure(program);
registerModels(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) process.exit(0); // --help, --version
    // commander has already printed the message (with suggestions) unless --json silenced it
    if (json) reportError(new UntangleError('E_USAGE', err.message.replace(/^error: /, '')), true);
    process.exitCode = 2;
  } else {
    process.exitCode = reportError(err, json);
  }
}
