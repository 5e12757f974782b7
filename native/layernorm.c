/* Layer normalisation per row, forward and backward (RecVAE's encoder). Rows are independent in the forward and in
 * the input gradient; the gamma / beta gradients are column sums, computed with threads owning column ranges so the
 * summation order (ascending rows) never depends on the thread count. */
#include <math.h>

#include "kernels.h"
#include "parallel.h"
#include "threadpool.h"

typedef struct {
  long m, n;
  const float *x, *gamma, *beta, *g;
  float eps;
  float *out, *xhat, *inv, *gx, *ggamma, *gbeta;
} ln_job_t;

UT_CLONES static void ln_fwd_rows(const ln_job_t *j, long r0, long r1) {
  const long n = j->n;
  for (long r = r0; r < r1; r++) {
    const float *x = j->x + r * n;
    double mean = 0, var = 0;
    for (long c = 0; c < n; c++) mean += x[c];
    mean /= (double)n;
    for (long c = 0; c < n; c++) var += (x[c] - mean) * (x[c] - mean);
    const float inv = (float)(1.0 / sqrt(var / (double)n + j->eps));
    j->inv[r] = inv;
    float *xh = j->xhat + r * n, *o = j->out + r * n;
    for (long c = 0; c < n; c++) {
      xh[c] = (float)(x[c] - mean) * inv;
      o[c] = xh[c] * j->gamma[c] + j->beta[c];
    }
  }
}

UT_CLONES static void ln_bwd_rows(const ln_job_t *j, long r0, long r1) {
  const long n = j->n;
  for (long r = r0; r < r1; r++) {
    const float *g = j->g + r * n, *xh = j->xhat + r * n;
    double sdy = 0, sdyx = 0;
    for (long c = 0; c < n; c++) {
      const float dy = g[c] * j->gamma[c];
      sdy += dy;
      sdyx += dy * xh[c];
    }
    const float a = j->inv[r] / (float)n, fs = (float)sdy, fx = (float)sdyx;
    float *gx = j->gx + r * n;
    for (long c = 0; c < n; c++) gx[c] += a * ((float)n * g[c] * j->gamma[c] - fs - xh[c] * fx);
  }
}

UT_CLONES static void ln_bwd_cols(const ln_job_t *j, long c0, long c1) {
  for (long r = 0; r < j->m; r++) {
    const float *g = j->g + r * j->n, *xh = j->xhat + r * j->n;
    for (long c = c0; c < c1; c++) {
      if (j->ggamma) j->ggamma[c] += g[c] * xh[c];
      if (j->gbeta) j->gbeta[c] += g[c];
    }
  }
}

static void fwd_task(void *ctx, int tid, int nt) {
  const ln_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nt, &lo, &hi);
  ln_fwd_rows(j, lo, hi);
}

static void bwd_rows_task(void *ctx, int tid, int nt) {
  const ln_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nt, &lo, &hi);
  ln_bwd_rows(j, lo, hi);
}

static void bwd_cols_task(void *ctx, int tid, int nt) {
  const ln_job_t *j = ctx;
  long lo, hi;
  range_of(j->n, tid, nt, &lo, &hi);
  ln_bwd_cols(j, lo, hi);
}

void ut_layer_norm(long m, long n, const float *x, const float *gamma, const float *beta, float eps, float *out,
                   float *xhat, float *inv, int nthreads) {
  ln_job_t j = {m, n, x, gamma, beta, 0, eps, out, xhat, inv, 0, 0, 0};
  int t = threads_for(m * n, nthreads);
  ut_parallel(t > m ? (int)(m > 0 ? m : 1) : t, fwd_task, &j);
}

void ut_layer_norm_backward(long m, long n, const float *g, const float *xhat, const float *inv, const float *gamma,
                            float *gx, float *ggamma, float *gbeta, int nthreads) {
  ln_job_t j = {m, n, 0, gamma, 0, g, 0, 0, (float *)xhat, (float *)inv, gx, ggamma, gbeta};
  int t = threads_for(m * n, nthreads);
  if (gx) ut_parallel(t > m ? (int)(m > 0 ? m : 1) : t, bwd_rows_task, &j);
  if (ggamma || gbeta) ut_parallel(t > n ? (int)(n > 0 ? n : 1) : t, bwd_cols_task, &j);
}
