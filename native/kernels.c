/* Threaded wrappers and the non-GEMM kernels declared in kernels.h. Every parallel split is over disjoint outputs
 * (rows of the output, after transposing for ut_spmm_t), so results never depend on the thread count. */
#include "kernels.h"

#include <math.h>
#include <stdlib.h>

#include "threadpool.h"
#include "vecmath.h"

/* Work below this many multiply-adds / elements runs on one thread: waking the pool costs ~10 us. */
#define PAR_MIN_WORK 65536L

static void range_of(long total, int tid, int nthreads, long *lo, long *hi) {
  long per = total / nthreads, extra = total % nthreads;
  *lo = tid * per + (tid < extra ? tid : extra);
  *hi = *lo + per + (tid < extra ? 1 : 0);
}

static int threads_for(long work, int nthreads) { return work < PAR_MIN_WORK ? 1 : nthreads; }

/* ---------------------------------------------------------------- sparse x dense */

typedef struct {
  long m, n;
  const int32_t *indptr, *indices;
  const float *values, *a, *b;
  float beta;
  float *c;
} sparse_job_t;

UT_CLONES static void spmm_rows(const sparse_job_t *j, long r0, long r1) {
  const long n = j->n;
  for (long r = r0; r < r1; r++) {
    float *cr = j->c + r * n;
    if (j->beta == 0.0f)
      for (long q = 0; q < n; q++) cr[q] = 0.0f;
    else if (j->beta != 1.0f)
      for (long q = 0; q < n; q++) cr[q] *= j->beta;
    for (int32_t p = j->indptr[r]; p < j->indptr[r + 1]; p++) {
      const float v = j->values[p];
      if (v == 0.0f) continue; /* dropped-out entries stay in the pattern */
      const float *br = j->b + (long)j->indices[p] * n;
      for (long q = 0; q < n; q++) cr[q] += v * br[q];
    }
  }
}

static void spmm_task(void *ctx, int tid, int nthreads) {
  const sparse_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  spmm_rows(j, lo, hi);
}

void ut_spmm(long m, long n, const int32_t *indptr, const int32_t *indices, const float *values, const float *b,
             float beta, float *c, int nthreads) {
  sparse_job_t j = {m, n, indptr, indices, values, 0, b, beta, c};
  ut_parallel(threads_for((long)indptr[m] * n, nthreads), spmm_task, &j);
}

/* S^T B as a gather: S is transposed (stable counting sort, so each output row still sums its terms in ascending
 * source-row order, exactly as a sequential scatter would) and every output row is written by one thread. */
typedef struct {
  long k, n;
  const int32_t *tptr, *tsrc; /* transposed pattern: for output row i, source rows tsrc[tptr[i] .. tptr[i+1]) */
  const float *tval, *b;
  float *c;
} spmm_t_job_t;

UT_CLONES static void spmm_t_rows(const spmm_t_job_t *j, long i0, long i1) {
  const long n = j->n;
  for (long i = i0; i < i1; i++) {
    float *ci = j->c + i * n;
    for (int32_t p = j->tptr[i]; p < j->tptr[i + 1]; p++) {
      const float v = j->tval[p];
      const float *br = j->b + (long)j->tsrc[p] * n;
      for (long q = 0; q < n; q++) ci[q] += v * br[q];
    }
  }
}

static void spmm_t_task(void *ctx, int tid, int nthreads) {
  const spmm_t_job_t *j = ctx;
  long lo, hi;
  range_of(j->k, tid, nthreads, &lo, &hi);
  spmm_t_rows(j, lo, hi);
}

void ut_spmm_t(long m, long k, long n, const int32_t *indptr, const int32_t *indices, const float *values,
               const float *b, float *c, int nthreads) {
  long nnz = indptr[m] - indptr[0];
  int32_t *tptr = calloc((size_t)k + 1, sizeof(int32_t));
  int32_t *tsrc = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(int32_t));
  float *tval = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(float));
  if (!tptr || !tsrc || !tval) abort();
  long kept = 0;
  for (long r = 0; r < m; r++)
    for (int32_t p = indptr[r]; p < indptr[r + 1]; p++)
      if (values[p] != 0.0f) tptr[indices[p] + 1]++; /* dropped-out entries stay in the pattern: skip them */
  for (long i = 0; i < k; i++) tptr[i + 1] += tptr[i];
  kept = tptr[k];
  int32_t *fill = malloc((size_t)(k > 0 ? k : 1) * sizeof(int32_t));
  if (!fill) abort();
  for (long i = 0; i < k; i++) fill[i] = tptr[i];
  for (long r = 0; r < m; r++)
    for (int32_t p = indptr[r]; p < indptr[r + 1]; p++)
      if (values[p] != 0.0f) {
        int32_t q = fill[indices[p]]++;
        tsrc[q] = (int32_t)r;
        tval[q] = values[p];
      }
  free(fill);
  spmm_t_job_t j = {k, n, tptr, tsrc, tval, b, c};
  ut_parallel(threads_for(kept * n, nthreads), spmm_t_task, &j);
  free(tptr);
  free(tsrc);
  free(tval);
}

UT_CLONES static void sddmm_rows(const sparse_job_t *j, long r0, long r1) {
  const long n = j->n;
  for (long r = r0; r < r1; r++) {
    const float *ar = j->a + r * n;
    for (int32_t p = j->indptr[r]; p < j->indptr[r + 1]; p++) {
      const float *br = j->b + (long)j->indices[p] * n;
      float s = 0.0f;
      for (long q = 0; q < n; q++) s += ar[q] * br[q];
      j->c[p] = s;
    }
  }
}

static void sddmm_task(void *ctx, int tid, int nthreads) {
  const sparse_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  sddmm_rows(j, lo, hi);
}

void ut_sddmm(long m, long n, const int32_t *indptr, const int32_t *indices, const float *a, const float *b,
              float *out, int nthreads) {
  sparse_job_t j = {m, n, indptr, indices, 0, a, b, 0.0f, out};
  ut_parallel(threads_for((long)indptr[m] * n, nthreads), sddmm_task, &j);
}

/* ---------------------------------------------------------------- column sums */

typedef struct {
  long m, n;
  const float *x;
  float *out;
} colsum_job_t;

UT_CLONES static void col_sums(const colsum_job_t *j, long q0, long q1) {
  for (long r = 0; r < j->m; r++) {
    const float *xr = j->x + r * j->n;
    for (long q = q0; q < q1; q++) j->out[q] += xr[q];
  }
}

static void col_sums_task(void *ctx, int tid, int nthreads) {
  const colsum_job_t *j = ctx;
  long units = (j->n + 15) / 16, lo, hi;
  range_of(units, tid, nthreads, &lo, &hi);
  lo *= 16;
  hi = hi * 16 < j->n ? hi * 16 : j->n;
  if (lo < hi) col_sums(j, lo, hi);
}

void ut_add_col_sums(long m, long n, const float *x, float *out, int nthreads) {
  colsum_job_t j = {m, n, x, out};
  int t = threads_for(m * n, nthreads);
  if (t > (n + 15) / 16) t = (int)((n + 15) / 16);
  ut_parallel(t, col_sums_task, &j);
}

/* ---------------------------------------------------------------- elementwise */

typedef struct {
  long len;
  const float *x;
  float *out;
  void (*fn)(long, const float *, float *);
} unary_job_t;

static void unary_task(void *ctx, int tid, int nthreads) {
  const unary_job_t *j = ctx;
  long lo, hi;
  range_of(j->len, tid, nthreads, &lo, &hi);
  if (lo < hi) j->fn(hi - lo, j->x + lo, j->out + lo);
}

static void unary(long len, const float *x, float *out, void (*fn)(long, const float *, float *), int nthreads) {
  unary_job_t j = {len, x, out, fn};
  ut_parallel(threads_for(len, nthreads), unary_task, &j);
}

void ut_vexp(long len, const float *x, float *out, int nthreads) { unary(len, x, out, ut_vexp_serial, nthreads); }
void ut_vtanh(long len, const float *x, float *out, int nthreads) { unary(len, x, out, ut_vtanh_serial, nthreads); }
void ut_vsigmoid(long len, const float *x, float *out, int nthreads) {
  unary(len, x, out, ut_vsigmoid_serial, nthreads);
}

/* ---------------------------------------------------------------- softmax + multinomial likelihood */

typedef struct {
  long m, n;
  const float *in; /* logits (forward) or probs (backward) */
  const int32_t *indptr, *indices;
  const float *values, *g;
  float *out; /* probs (forward) or the logits' gradient (backward) */
  float *loss;
} softmax_job_t;

UT_CLONES static float row_max(const float *x, long n) {
  float mx = -INFINITY;
  for (long q = 0; q < n; q++) mx = x[q] > mx ? x[q] : mx;
  return mx;
}

UT_CLONES static void scale_row(float *x, long n, float s) {
  for (long q = 0; q < n; q++) x[q] *= s;
}

UT_CLONES static void scale_row_into(const float *x, float *out, long n, float s) {
  for (long q = 0; q < n; q++) out[q] = x[q] * s;
}

static void softmax_nll_task(void *ctx, int tid, int nthreads) {
  const softmax_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  for (long r = lo; r < hi; r++) {
    const float *x = j->in + r * j->n;
    float *pr = j->out + r * j->n;
    /* read the target logits before probs (which may alias logits) is written */
    double dot = 0.0, tot = 0.0;
    for (int32_t p = j->indptr[r]; p < j->indptr[r + 1]; p++) {
      dot += (double)j->values[p] * x[j->indices[p]];
      tot += j->values[p];
    }
    float mx = row_max(x, j->n);
    float sum = ut_exp_shift_sum(j->n, x, mx, pr);
    scale_row(pr, j->n, 1.0f / sum);
    double lse = (double)mx + log((double)sum);
    j->loss[r] = (float)(tot * lse - dot);
  }
}

void ut_softmax_nll(long m, long n, const float *logits, const int32_t *indptr, const int32_t *indices,
                    const float *values, float *probs, float *loss, int nthreads) {
  softmax_job_t j = {m, n, logits, indptr, indices, values, 0, probs, loss};
  int t = threads_for(m * n, nthreads);
  ut_parallel(t > m ? (int)m : t, softmax_nll_task, &j);
}

static void softmax_nll_backward_task(void *ctx, int tid, int nthreads) {
  const softmax_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  for (long r = lo; r < hi; r++) {
    double tot = 0.0;
    for (int32_t p = j->indptr[r]; p < j->indptr[r + 1]; p++) tot += j->values[p];
    float *out = j->out + r * j->n;
    scale_row_into(j->in + r * j->n, out, j->n, (float)(j->g[r] * tot));
    for (int32_t p = j->indptr[r]; p < j->indptr[r + 1]; p++) out[j->indices[p]] -= j->g[r] * j->values[p];
  }
}

void ut_softmax_nll_backward(long m, long n, const float *probs, const int32_t *indptr, const int32_t *indices,
                             const float *values, const float *g, float *out, int nthreads) {
  softmax_job_t j = {m, n, probs, indptr, indices, values, g, out, 0};
  int t = threads_for(m * n, nthreads);
  ut_parallel(t > m ? (int)m : t, softmax_nll_backward_task, &j);
}

/* ---------------------------------------------------------------- Adam */

typedef struct {
  long len;
  float *param, *m, *v;
  const float *grad;
  /* constants derived in double (1 - 0.999 is not exact in float32) */
  float b1, omb1, b2, omb2, step, inv_sqrt_bc2, eps, l2, shrink;
} adam_job_t;

UT_CLONES static void adam_range(const adam_job_t *j, long lo, long hi) {
  for (long i = lo; i < hi; i++) {
    float p = j->param[i];
    float g = j->grad[i] + j->l2 * p;
    float m = j->b1 * j->m[i] + j->omb1 * g;
    float v = j->b2 * j->v[i] + j->omb2 * g * g;
    j->m[i] = m;
    j->v[i] = v;
    j->param[i] = p * j->shrink - j->step * m / (sqrtf(v) * j->inv_sqrt_bc2 + j->eps);
  }
}

static void adam_task(void *ctx, int tid, int nthreads) {
  const adam_job_t *j = ctx;
  long lo, hi;
  range_of(j->len, tid, nthreads, &lo, &hi);
  adam_range(j, lo, hi);
}

void ut_adam(long len, float *param, const float *grad, float *m, float *v, double lr, double beta1, double beta2,
             double eps, double wd, int decoupled, double bc1, double bc2, int nthreads) {
  adam_job_t j = {len,
                  param,
                  m,
                  v,
                  grad,
                  (float)beta1,
                  (float)(1.0 - beta1),
                  (float)beta2,
                  (float)(1.0 - beta2),
                  (float)(lr / bc1),
                  (float)(1.0 / sqrt(bc2)),
                  (float)eps,
                  decoupled ? 0.0f : (float)wd,
                  decoupled ? (float)(1.0 - lr * wd) : 1.0f};
  ut_parallel(threads_for(len, nthreads), adam_task, &j);
}
