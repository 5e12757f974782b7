/* Helpers shared by the threaded kernels: how many threads a job deserves and which slice a thread takes. */
#ifndef UT_PARALLEL_H
#define UT_PARALLEL_H

/* Work below this many multiply-adds / elements runs on one thread: waking the pool costs ~10 us. */
#define PAR_MIN_WORK 65536L

/* Splits [0, total) into nthreads nearly equal ranges; thread tid gets [lo, hi). */
static inline void range_of(long total, int tid, int nthreads, long *lo, long *hi) {
  long per = total / nthreads, extra = total % nthreads;
  *lo = tid * per + (tid < extra ? tid : extra);
  *hi = *lo + per + (tid < extra ? 1 : 0);
}

static inline int threads_for(long work, int nthreads) { return work < PAR_MIN_WORK ? 1 : nthreads; }

#endif
