import { UntangleError } from '../errors.js';

/** Operands of an engine operation have incompatible shapes; the message names the op and both shapes. */
export class ShapeError extends UntangleError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** The requested kernel provider cannot be used (e.g. UNTANGLE_KERNELS=native but the addon did not build). */
export class KernelError extends UntangleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_KERNELS', message, options);
  }
}

/** Formats a 2-D shape as `[rows x cols]` for error messages. */
export function fmtShape(rows: number, cols: number): string {
  return `[${rows}x${cols}]`;
}
