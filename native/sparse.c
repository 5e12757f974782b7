/* CSR x dense kernels (see kernels.h): spmm, spmm_t (as a gather over the transposed pattern), sddmm, and column
 * sums. Every parallel split is over disjoint output rows or columns, so results never depend on the thread count. */
#include <stdlib.h>

#include "kernels.h"
#include "parallel.h"
#include "threadpool.h"

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

/* ---------------------------------------------------------------- sparse Gram matrix */

typedef struct {
  long m, n;
  const int32_t *indptr, *indices;
  const float *values;
  float *out;
} gram_job_t;

/* Each thread owns output rows [i0, i1): for every user, each of their items i in range gets v_i * (their row). */
static void gram_task(void *ctx, int tid, int nthreads) {
  const gram_job_t *j = ctx;
  long i0, i1;
  range_of(j->n, tid, nthreads, &i0, &i1);
  for (long u = 0; u < j->m; u++) {
    const int32_t p0 = j->indptr[u], p1 = j->indptr[u + 1];
    for (int32_t p = p0; p < p1; p++) {
      const long i = j->indices[p];
      if (i < i0 || i >= i1) continue;
      const float vi = j->values[p];
      float *row = j->out + i * j->n;
      for (int32_t q = p0; q < p1; q++) row[j->indices[q]] += vi * j->values[q];
    }
  }
}

void ut_sparse_gram(long m, long n, const int32_t *indptr, const int32_t *indices, const float *values, float *out,
                    int nthreads) {
  gram_job_t j = {m, n, indptr, indices, values, out};
  long work = 0;
  for (long u = 0; u < m && work < PAR_MIN_WORK; u++) work += (long)(indptr[u + 1] - indptr[u]) * (indptr[u + 1] - indptr[u]);
  int t = threads_for(work, nthreads);
  ut_parallel(t > n ? (int)(n > 0 ? n : 1) : t, gram_task, &j);
}
