import type { Command } from 'commander';

import { describeConfig } from '../../config.js';
import { MODELS, MODEL_NAMES, modelEntry } from '../../models/registry.js';
import { makeOutput } from '../output.js';

const show = (v: unknown) => (v === undefined ? '-' : JSON.stringify(v));

/** Every model's config, field by field, from the zod schemas (the single source of the docs too). */
export function modelCatalog(names: readonly string[] = MODEL_NAMES) {
  return names.map((name) => {
    const e = modelEntry(name);
    return { name, description: e.description, options: describeConfig(e.config) };
  });
}

export function catalogMarkdown(): string {
  return modelCatalog()
    .map(
      (m) =>
        `## ${m.name}\n\n${m.description}\n\n` +
        (m.options.length === 0
          ? 'No options.\n'
          : `| option | default | meaning |\n|---|---|---|\n${m.options.map((o) => `| \`${o.key}\` | \`${show(o.default)}\` | ${o.description} |`).join('\n')}\n`),
    )
    .join('\n');
}

export function registerModels(program: Command): void {
  program
    .command('models [name]')
    .description(`list the models (${Object.keys(MODELS).length}) or one model's options with defaults and meanings`)
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--markdown', 'print the catalogue as Markdown (docs/models.md is generated this way)')
    .action((name: string | undefined, opts: { json?: boolean; markdown?: boolean }) => {
      const out = makeOutput(Boolean(opts.json));
      if (opts.markdown) {
        process.stdout.write(`${catalogMarkdown()}`);
        return;
      }
      const catalog = modelCatalog(name ? [name] : MODEL_NAMES);
      out.result(name ? catalog[0] : catalog, () =>
        catalog
          .map((m) =>
            name
              ? `${m.name}: ${m.description}\n${m.options.map((o) => `  ${o.key.padEnd(18)} ${show(o.default).padEnd(14)} ${o.description}`).join('\n')}`
              : `  ${m.name.padEnd(10)} ${m.description}`,
          )
          .join('\n'),
      );
    });
}
