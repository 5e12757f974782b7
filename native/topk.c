/* Top-k selection per row of a score matrix with excluded entries (a user's fold-in items), for full-ranking
 * evaluation. Order: higher score first; equal scores by lower item index (the reference vectors' tie rule). NaN
 * scores rank below every number. Rows are independent, so threads take row ranges. */
#include "kernels.h"
#include "parallel.h"
#include "threadpool.h"

/* a ranks before b */
static inline int better(float sa, int ia, float sb, int ib) { return sa > sb || (sa == sb && ia < ib); }

typedef struct {
  long m, n, k;
  const float *scores;
  const int32_t *ex_ptr, *ex_idx;
  int32_t *out;
} topk_job_t;

/* min-heap on "worst first" of (score, index) pairs */
static void sift_down(float *hs, int32_t *hi, long size, long i) {
  for (;;) {
    long l = 2 * i + 1, r = l + 1, w = i;
    if (l < size && better(hs[w], hi[w], hs[l], hi[l])) w = l;
    if (r < size && better(hs[w], hi[w], hs[r], hi[r])) w = r;
    if (w == i) return;
    float ts = hs[i]; hs[i] = hs[w]; hs[w] = ts;
    int32_t ti = hi[i]; hi[i] = hi[w]; hi[w] = ti;
    i = w;
  }
}

static void topk_rows(const topk_job_t *j, long r0, long r1, float *hs, int32_t *hi) {
  for (long r = r0; r < r1; r++) {
    const float *s = j->scores + r * j->n;
    int32_t p = j->ex_ptr[r], pe = j->ex_ptr[r + 1];
    long size = 0;
    for (long i = 0; i < j->n; i++) {
      while (p < pe && j->ex_idx[p] < i) p++;
      if (p < pe && j->ex_idx[p] == i) continue;
      float v = s[i] != s[i] ? -INFINITY : s[i];
      if (size < j->k) {
        /* insert and sift up */
        long c = size++;
        hs[c] = v;
        hi[c] = (int32_t)i;
        while (c > 0) {
          long parent = (c - 1) / 2;
          if (!better(hs[parent], hi[parent], hs[c], hi[c])) break;
          float ts = hs[c]; hs[c] = hs[parent]; hs[parent] = ts;
          int32_t ti = hi[c]; hi[c] = hi[parent]; hi[parent] = ti;
          c = parent;
        }
      } else if (better(v, (int32_t)i, hs[0], hi[0])) {
        hs[0] = v;
        hi[0] = (int32_t)i;
        sift_down(hs, hi, size, 0);
      }
    }
    /* pop worst-first into the tail of the output row */
    int32_t *o = j->out + r * j->k;
    for (long q = size; q < j->k; q++) o[q] = -1;
    for (long q = size - 1; q >= 0; q--) {
      o[q] = hi[0];
      hs[0] = hs[q];
      hi[0] = hi[q];
      sift_down(hs, hi, q, 0);
    }
  }
}

static void topk_task(void *ctx, int tid, int nthreads) {
  const topk_job_t *j = ctx;
  long lo, hi;
  range_of(j->m, tid, nthreads, &lo, &hi);
  float hs[1024];
  int32_t hidx[1024];
  topk_rows(j, lo, hi, hs, hidx);
}

int ut_topk(long m, long n, const float *scores, const int32_t *ex_ptr, const int32_t *ex_idx, long k, int32_t *out,
            int nthreads) {
  if (k > 1024) return 0;
  topk_job_t j = {m, n, k, scores, ex_ptr, ex_idx, out};
  int t = threads_for(m * n, nthreads);
  ut_parallel(t > m ? (int)(m > 0 ? m : 1) : t, topk_task, &j);
  return 1;
}
