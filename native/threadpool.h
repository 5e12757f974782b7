/* A tiny persistent thread pool: ut_parallel(n, fn, ctx) runs fn(ctx, tid, n) for tid = 0..n-1, the calling thread
 * taking tid 0, and returns when all are done. Written here because the addon must build with nothing but a C
 * compiler and pthreads (no OpenMP runtime is guaranteed on users' machines). */
#ifndef UT_THREADPOOL_H
#define UT_THREADPOOL_H

typedef void (*ut_task_fn)(void *ctx, int tid, int nthreads);

/* Largest thread count the pool will use; requests above it are clamped. */
#define UT_MAX_THREADS 64

/* Runs fn on n threads (clamped to [1, UT_MAX_THREADS]); n == 1 runs inline without touching the pool. */
void ut_parallel(int n, ut_task_fn fn, void *ctx);

#endif
