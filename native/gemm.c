/* Blocked, packed SGEMM in the BLIS style (Goto's algorithm): loops over NC-wide panels of B and KC-deep slices,
 * packs op(B) into KC x NC and op(A) into MC x KC so that every transpose combination feeds the same micro-kernel
 * at the same speed. Threads take disjoint column (or row) ranges of C, so each element is summed in the same
 * order whatever the thread count (results are bitwise independent of it). Hand-written because no GEMM library
 * can be assumed on users' machines and the addon must build with only a C compiler. */
#include "gemm.h"

#include <stdlib.h>
#include <string.h>

#include "gemm_ukernels.h"
#include "threadpool.h"

/* ---------------------------------------------------------------- generic micro-kernel (any CPU) */

static void ukr_generic_4x8(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
  float acc[4][8] = {{0}};
  for (long p = 0; p < k; p++) {
    for (int i = 0; i < 4; i++) {
      float ai = a[p * 4 + i];
      for (int j = 0; j < 8; j++) acc[i][j] += ai * b[p * 8 + j];
    }
  }
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 8; j++)
      c[i * ldc + j] = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * c[i * ldc + j];
}

const ut_ukernel_t ut_ukr_generic = {4, 8, ukr_generic_4x8, "generic-c 4x8"};

/* ---------------------------------------------------------------- kernel choice */

static const ut_ukernel_t *chosen = 0;

static const ut_ukernel_t *pick_kernel(void) {
  if (chosen) return chosen;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    chosen = &ut_ukr_avx512;
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    chosen = &ut_ukr_avx2;
  else
#endif
    chosen = &ut_ukr_generic;
  return chosen;
}

const char *ut_gemm_kernel_name(void) { return pick_kernel()->name; }

int ut_gemm_force_kernel(const char *family) {
  if (strcmp(family, "generic") == 0) {
    chosen = &ut_ukr_generic;
    return 1;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (strcmp(family, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    chosen = &ut_ukr_avx2;
    return 1;
  }
  if (strcmp(family, "avx512") == 0 && __builtin_cpu_supports("avx512f")) {
    chosen = &ut_ukr_avx512;
    return 1;
  }
  if (strcmp(family, "avx512-emulated") == 0) {
    chosen = &ut_ukr_avx512_emulated;
    return 1;
  }
#endif
  return 0;
}

/* ---------------------------------------------------------------- blocking and per-thread pack buffers */

enum { KC = 256, MC_TARGET = 144, NC_TARGET = 4096 };

static __thread float *tls_buf = 0;
static __thread size_t tls_cap = 0;

/* Returns a 64-byte aligned per-thread scratch buffer of at least n floats (kept between calls). */
static float *scratch(size_t n) {
  if (n > tls_cap) {
    free(tls_buf);
    tls_buf = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
    tls_cap = tls_buf ? n : 0;
  }
  return tls_buf;
}

/* Packs rows [i0, i0+mc) x cols [p0, p0+kc) of op(A) into MR-row strips, k-major, zero-padded. */
static void pack_a(int trans, const float *a, long lda, long i0, long mc, long p0, long kc, int mr, float *ap) {
  for (long s = 0; s < mc; s += mr) {
    long rows = mc - s < mr ? mc - s : mr;
    float *dst = ap + s * kc;
    if (!trans) {
      for (long i = 0; i < rows; i++) {
        const float *src = a + (i0 + s + i) * lda + p0;
        for (long p = 0; p < kc; p++) dst[p * mr + i] = src[p];
      }
      for (long i = rows; i < mr; i++)
        for (long p = 0; p < kc; p++) dst[p * mr + i] = 0.0f;
    } else {
      for (long p = 0; p < kc; p++) {
        const float *src = a + (p0 + p) * lda + i0 + s;
        float *d = dst + p * mr;
        long i = 0;
        for (; i < rows; i++) d[i] = src[i];
        for (; i < mr; i++) d[i] = 0.0f;
      }
    }
  }
}

/* Packs rows [p0, p0+kc) x cols [j0, j0+nc) of op(B) into NR-column strips, k-major, zero-padded. */
static void pack_b(int trans, const float *b, long ldb, long p0, long kc, long j0, long nc, int nr, float *bp) {
  for (long s = 0; s < nc; s += nr) {
    long cols = nc - s < nr ? nc - s : nr;
    float *dst = bp + s * kc;
    if (!trans) {
      for (long p = 0; p < kc; p++) {
        const float *src = b + (p0 + p) * ldb + j0 + s;
        float *d = dst + p * nr;
        long j = 0;
        for (; j < cols; j++) d[j] = src[j];
        for (; j < nr; j++) d[j] = 0.0f;
      }
    } else {
      for (long j = 0; j < cols; j++) {
        const float *src = b + (j0 + s + j) * ldb + p0;
        for (long p = 0; p < kc; p++) dst[p * nr + j] = src[p];
      }
      for (long j = cols; j < nr; j++)
        for (long p = 0; p < kc; p++) dst[p * nr + j] = 0.0f;
    }
  }
}

typedef struct {
  int trans_a, trans_b;
  long m, n, k;
  float alpha, beta;
  const float *a, *b;
  float *c;
  long lda, ldb, ldc;
  int split_rows; /* 1: threads take row ranges of C; 0: column ranges */
} gemm_job_t;

/* Serial GEMM on the sub-block rows [r0, r1) x cols [c0, c1) of C. */
static void gemm_block(const gemm_job_t *g, long r0, long r1, long c0, long c1) {
  const ut_ukernel_t *uk = pick_kernel();
  const int mr = uk->mr, nr = uk->nr;
  const long mc_max = (MC_TARGET / mr) * mr;
  const long nc_max = (NC_TARGET / nr) * nr;
  float *buf = scratch((size_t)mc_max * KC + (size_t)KC * nc_max + (size_t)mr * nr);
  if (!buf) abort();
  float *ap = buf, *bp = buf + mc_max * KC, *tile = bp + KC * nc_max;
  for (long jc = c0; jc < c1; jc += nc_max) {
    long nc = c1 - jc < nc_max ? c1 - jc : nc_max;
    /* equal K slices of at most KC: a short tail slice (e.g. 600 = 256 + 256 + 88) costs ~15% at these shapes */
    const long slices = (g->k + KC - 1) / KC, kstep = (g->k + slices - 1) / slices;
    for (long pc = 0; pc < g->k; pc += kstep) {
      long kc = g->k - pc < kstep ? g->k - pc : kstep;
      float beta = pc == 0 ? g->beta : 1.0f;
      pack_b(g->trans_b, g->b, g->ldb, pc, kc, jc, nc, nr, bp);
      for (long ic = r0; ic < r1; ic += mc_max) {
        long mc = r1 - ic < mc_max ? r1 - ic : mc_max;
        pack_a(g->trans_a, g->a, g->lda, ic, mc, pc, kc, mr, ap);
        for (long jr = 0; jr < nc; jr += nr) {
          long nn = nc - jr < nr ? nc - jr : nr;
          for (long ir = 0; ir < mc; ir += mr) {
            long mm = mc - ir < mr ? mc - ir : mr;
            float *cij = g->c + (ic + ir) * g->ldc + jc + jr;
            if (mm == mr && nn == nr) {
              uk->fn(kc, ap + ir * kc, bp + jr * kc, cij, g->ldc, g->alpha, beta);
            } else {
              uk->fn(kc, ap + ir * kc, bp + jr * kc, tile, nr, 1.0f, 0.0f);
              for (long i = 0; i < mm; i++)
                for (long j = 0; j < nn; j++) {
                  float v = g->alpha * tile[i * nr + j];
                  cij[i * g->ldc + j] = beta == 0.0f ? v : v + beta * cij[i * g->ldc + j];
                }
            }
          }
        }
      }
    }
  }
}

/* Splits [0, total) into nthreads ranges aligned to `align`; returns this thread's [lo, hi). */
static void split_range(long total, long align, int tid, int nthreads, long *lo, long *hi) {
  long units = (total + align - 1) / align;
  long per = units / nthreads, extra = units % nthreads;
  long u0 = tid * per + (tid < extra ? tid : extra);
  long u1 = u0 + per + (tid < extra ? 1 : 0);
  *lo = u0 * align < total ? u0 * align : total;
  *hi = u1 * align < total ? u1 * align : total;
}

static void gemm_task(void *ctx, int tid, int nthreads) {
  const gemm_job_t *g = (const gemm_job_t *)ctx;
  const ut_ukernel_t *uk = pick_kernel();
  long lo, hi;
  if (g->split_rows) {
    split_range(g->m, uk->mr, tid, nthreads, &lo, &hi);
    if (lo < hi) gemm_block(g, lo, hi, 0, g->n);
  } else {
    split_range(g->n, uk->nr, tid, nthreads, &lo, &hi);
    if (lo < hi) gemm_block(g, 0, g->m, lo, hi);
  }
}

void ut_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda, const float *b,
              long ldb, float beta, float *c, long ldc, int nthreads) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0.0f) {
    for (long i = 0; i < m; i++)
      for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  const ut_ukernel_t *uk = pick_kernel();
  gemm_job_t g = {trans_a, trans_b, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc, 0};
  /* Below ~4 MFLOP a thread hand-off costs more than it saves. */
  double flops = 2.0 * (double)m * (double)n * (double)k;
  if (flops < 4e6) nthreads = 1;
  long row_tiles = (m + uk->mr - 1) / uk->mr, col_tiles = (n + uk->nr - 1) / uk->nr;
  g.split_rows = row_tiles > col_tiles;
  long tiles = g.split_rows ? row_tiles : col_tiles;
  if (nthreads > tiles) nthreads = (int)tiles;
  ut_parallel(nthreads, gemm_task, &g);
}
