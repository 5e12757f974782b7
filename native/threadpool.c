/* Persistent pthread pool (see threadpool.h for why it is hand-written). Workers sleep on a condition variable;
 * a job is published under the mutex with a new generation number. Calls come from one JS thread at a time, so
 * jobs never overlap; a mutex still guards the pool for safety if two addon instances (worker threads) call in. */
#include "threadpool.h"

#include <pthread.h>

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t start;
  pthread_cond_t done;
  pthread_mutex_t call_mu; /* serialises whole ut_parallel calls */
  int started;             /* worker threads created so far */
  unsigned long generation;
  ut_task_fn fn;
  void *ctx;
  int nthreads; /* threads taking part in the current job */
  int remaining;
} pool_t;

static pool_t pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
                      PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0};

typedef struct {
  int tid;
  unsigned long start_generation; /* the generation current when the worker was created (it must run the next) */
} worker_arg_t;

static worker_arg_t worker_args[UT_MAX_THREADS];

static void *worker_main(void *p) {
  int tid = ((worker_arg_t *)p)->tid;
  unsigned long seen = ((worker_arg_t *)p)->start_generation;
  pthread_mutex_lock(&pool.mu);
  for (;;) {
    while (pool.generation == seen) pthread_cond_wait(&pool.start, &pool.mu);
    seen = pool.generation;
    if (tid >= pool.nthreads) continue;
    ut_task_fn fn = pool.fn;
    void *ctx = pool.ctx;
    int n = pool.nthreads;
    pthread_mutex_unlock(&pool.mu);
    fn(ctx, tid, n);
    pthread_mutex_lock(&pool.mu);
    if (--pool.remaining == 0) pthread_cond_signal(&pool.done);
  }
  return 0;
}

/* Creates workers 1..n-1 if missing; returns the number of threads actually available (>= 1). */
static int ensure_workers(int n) {
  while (pool.started < n - 1) {
    int tid = pool.started + 1;
    worker_args[tid].tid = tid;
    worker_args[tid].start_generation = pool.generation;
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&th, &attr, worker_main, &worker_args[tid]);
    pthread_attr_destroy(&attr);
    if (rc != 0) break;
    pool.started++;
  }
  return pool.started + 1 < n ? pool.started + 1 : n;
}

void ut_parallel(int n, ut_task_fn fn, void *ctx) {
  if (n > UT_MAX_THREADS) n = UT_MAX_THREADS;
  if (n <= 1) {
    fn(ctx, 0, 1);
    return;
  }
  pthread_mutex_lock(&pool.call_mu);
  pthread_mutex_lock(&pool.mu);
  n = ensure_workers(n);
  if (n <= 1) {
    pthread_mutex_unlock(&pool.mu);
    pthread_mutex_unlock(&pool.call_mu);
    fn(ctx, 0, 1);
    return;
  }
  pool.fn = fn;
  pool.ctx = ctx;
  pool.nthreads = n;
  pool.remaining = n - 1;
  pool.generation++;
  pthread_cond_broadcast(&pool.start);
  pthread_mutex_unlock(&pool.mu);

  fn(ctx, 0, n);

  pthread_mutex_lock(&pool.mu);
  while (pool.remaining > 0) pthread_cond_wait(&pool.done, &pool.mu);
  pthread_mutex_unlock(&pool.mu);
  pthread_mutex_unlock(&pool.call_mu);
}
