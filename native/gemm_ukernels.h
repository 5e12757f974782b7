/* Micro-kernel contract shared by gemm.c and the per-ISA kernels.
 * A micro-kernel multiplies a packed MR x k panel of A (k-major: a[p*MR + i]) by a packed k x NR panel of B
 * (b[p*NR + j]) and writes C[i*ldc + j] = alpha * AB + beta * C for the full MR x NR tile; beta == 0 never reads C. */
#ifndef UT_GEMM_UKERNELS_H
#define UT_GEMM_UKERNELS_H

typedef void (*ut_ukr_fn)(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta);

typedef struct {
  int mr;
  int nr;
  ut_ukr_fn fn;
  const char *name;
} ut_ukernel_t;

extern const ut_ukernel_t ut_ukr_generic;
#if defined(__x86_64__) || defined(__i386__)
extern const ut_ukernel_t ut_ukr_avx2;
extern const ut_ukernel_t ut_ukr_avx512;
extern const ut_ukernel_t ut_ukr_avx512_emulated;
#endif

#endif
