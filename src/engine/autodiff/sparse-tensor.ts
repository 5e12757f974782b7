import { CsrMatrix } from '../csr.js';
import { ShapeError } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * A sparse matrix whose stored values are a (possibly differentiable) [1 x nnz] tensor over a fixed CSR pattern.
 * A batch of user histories enters a model as one of these, so that normalisation, dropout and masking act on the
 * stored entries only and gradients can reach the values (e.g. MacridVAE's concept masks).
 */
export class SparseTensor {
  /** The CSR pattern; its own values are ignored in favour of `values`. */
  readonly pattern: CsrMatrix;
  readonly values: Tensor;

  constructor(pattern: CsrMatrix, values: Tensor) {
    if (values.rows !== 1 || values.cols !== pattern.nnz) {
      throw new ShapeError(`sparse: values ${values.shapeString()} do not match the pattern's nnz ${pattern.nnz}`);
    }
    this.pattern = pattern;
    this.values = values;
  }

  /** A constant sparse tensor holding the matrix's own values. */
  static constant(csr: CsrMatrix): SparseTensor {
    return new SparseTensor(csr, new Tensor(1, csr.nnz, csr.values));
  }

  get rows(): number {
    return this.pattern.rows;
  }

  get cols(): number {
    return this.pattern.cols;
  }

  /** The current values as a CSR matrix. */
  toCsr(): CsrMatrix {
    return this.pattern.withValues(this.values.data);
  }
}
