import { z } from 'zod';

import { ConfigError } from './errors.js';

/**
 * Parses a config with its zod schema, turning validation failures into one ConfigError that names `what`, the
 * offending keys and, for unknown keys, the valid ones (RecBole accepts unknown keys with a warning; we refuse).
 */
export function parseConfig<S extends z.ZodObject>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const valid = Object.keys(schema.shape).join(', ');
  const problems = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys')
      return `unknown option(s) ${i.keys.map((k) => `"${k}"`).join(', ')} (valid: ${valid})`;
    return `${i.path.join('.') || 'value'}: ${i.message}`;
  });
  throw new ConfigError(`${what}: ${problems.join('; ')}`);
}

/** Field-by-field documentation of a config schema: name, default and description, for the CLI and the docs. */
export function describeConfig(schema: z.ZodObject): { key: string; default: unknown; description: string }[] {
  const defaults = schema.safeParse({}).data as Record<string, unknown> | undefined;
  return Object.entries(schema.shape).map(([key, field]) => ({
    key,
    default: defaults?.[key],
    description: (field as z.ZodType).description ?? '',
  }));
}
