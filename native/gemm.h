#ifndef UT_GEMM_H
#define UT_GEMM_H

/* Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T.
 * op(A) is m x k, op(B) is k x n, C is m x n; lda/ldb/ldc are row strides of the stored matrices.
 * beta == 0 never reads C (so C may hold garbage). Results do not depend on nthreads: every element of C is summed
 * in the same order whatever the partition. */
void ut_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda, const float *b,
              long ldb, float beta, float *c, long ldc, int nthreads);

/* Name of the micro-kernel chosen for this CPU, e.g. "avx2-fma 6x16". */
const char *ut_gemm_kernel_name(void);

/* Forces a micro-kernel family ("avx512", "avx2", "generic", or "avx512-emulated": the AVX-512 kernel's source
 * compiled for baseline x86-64); returns 0 if it is not supported here. For tests. */
int ut_gemm_force_kernel(const char *family);

#endif
