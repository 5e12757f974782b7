/* Weighted log-sum-exp over K logit matrices (MacridVAE's concept mixture), forward and backward, row-parallel,
 * on the vectorised exp / log of vecmath.c. Weights are per column ([n], col[k] = 1) or full ([m x n]). */
#include <math.h>
#include <stdlib.h>

#include "kernels.h"
#include "parallel.h"
#include "threadpool.h"
#include "vecmath.h"

typedef struct {
  int K;
  long m, n;
  const float *const *l;
  const float *const *w;
  const int *col;
  float *out;
  const float *g;
  float *const *gl;
  float *const *r;
} lse_job_t;

static inline const float *weight_row(const lse_job_t *j, int k, long row) {
  return j->col[k] ? j->w[k] : j->w[k] + row * j->n;
}

UT_CLONES static void max_into(float *mx, const float *x, long n) {
  for (long c = 0; c < n; c++) mx[c] = x[c] > mx[c] ? x[c] : mx[c];
}
UT_CLONES static void sub_into(float *dst, const float *a, const float *b, long n) {
  for (long c = 0; c < n; c++) dst[c] = a[c] - b[c];
}
UT_CLONES static void fma_into(float *acc, const float *x, const float *w, long n) {
  for (long c = 0; c < n; c++) acc[c] += x[c] * w[c];
}
UT_CLONES static void mul_into(float *x, const float *g, long n) {
  for (long c = 0; c < n; c++) x[c] *= g[c];
}
UT_CLONES static void add_into(float *dst, const float *x, long n) {
  for (long c = 0; c < n; c++) dst[c] += x[c];
}

static void lse_fwd_task(void *ctx, int tid, int nthreads) {
  const lse_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  float *tmp = malloc(sizeof(float) * 2 * (size_t)j->n);
  if (!tmp) abort();
  float *acc = tmp + j->n;
  for (long row = lo; row < hi; row++) {
    float *o = j->out + row * j->n;
    for (long c = 0; c < j->n; c++) o[c] = j->l[0][row * j->n + c];
    for (int k = 1; k < j->K; k++) max_into(o, j->l[k] + row * j->n, j->n);
    for (long c = 0; c < j->n; c++) acc[c] = 0.0f;
    for (int k = 0; k < j->K; k++) {
      sub_into(tmp, j->l[k] + row * j->n, o, j->n);
      ut_vexp_serial(j->n, tmp, tmp);
      fma_into(acc, tmp, weight_row(j, k, row), j->n);
    }
    ut_vlog_serial(j->n, acc, acc);
    add_into(o, acc, j->n);
  }
  free(tmp);
}

static void lse_bwd_task(void *ctx, int tid, int nthreads) {
  const lse_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  float *tmp = malloc(sizeof(float) * (size_t)j->n);
  if (!tmp) abort();
  for (long row = lo; row < hi; row++) {
    const long off = row * j->n;
    for (int k = 0; k < j->K; k++) {
      if (!j->gl[k] && !j->r[k]) continue;
      sub_into(tmp, j->l[k] + off, j->out + off, j->n);
      ut_vexp_serial(j->n, tmp, tmp);
      mul_into(tmp, j->g + off, j->n);
      if (j->r[k]) for (long c = 0; c < j->n; c++) j->r[k][off + c] = tmp[c];
      if (j->gl[k]) fma_into(j->gl[k] + off, tmp, weight_row(j, k, row), j->n);
    }
  }
  free(tmp);
}

void ut_lse_weighted(int K, long m, long n, const float *const *l, const float *const *w, const int *col, float *out,
                     int nthreads) {
  lse_job_t j = {K, m, n, l, w, col, out, 0, 0, 0};
  int t = threads_for(m * n * K, nthreads);
  ut_parallel(t > m ? (int)(m > 0 ? m : 1) : t, lse_fwd_task, &j);
}

void ut_lse_weighted_backward(int K, long m, long n, const float *const *l, const float *const *w, const int *col,
                              const float *out, const float *g, float *const *gl, float *const *r, int nthreads) {
  lse_job_t j = {K, m, n, l, w, col, (float *)out, g, gl, r};
  int t = threads_for(m * n * K, nthreads);
  ut_parallel(t > m ? (int)(m > 0 ? m : 1) : t, lse_bwd_task, &j);
}
