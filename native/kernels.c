/* Elementwise, softmax + multinomial likelihood and Adam kernels declared in kernels.h (the sparse ones are in
 * sparse.c). Every parallel split is over disjoint outputs, so results never depend on the thread count. */
#include "kernels.h"

#include <math.h>

#include "parallel.h"
#include "threadpool.h"
#include "vecmath.h"

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
void ut_vlog(long len, const float *x, float *out, int nthreads) { unary(len, x, out, ut_vlog_serial, nthreads); }
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
