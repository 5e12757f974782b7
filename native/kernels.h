/* Non-GEMM kernels of the addon: CSR x dense products, vectorised transcendental functions, the fused
 * softmax + multinomial log-likelihood, and the Adam update. All arrays are row-major float32; CSR rows are
 * described by indptr (rows + 1 entries) and indices/values (indptr[rows] entries). */
#ifndef UT_KERNELS_H
#define UT_KERNELS_H

#include <math.h>
#include <stdint.h>

/* Vectorise simple loops for the widest ISA present, chosen at load time (GCC function multi-versioning). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define UT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define UT_CLONES
#endif

/* C[m x n] = beta * C + S[m x k] * B[k x n]. Stored zeros are skipped (so 0 * inf does not give NaN). */
void ut_spmm(long m, long n, const int32_t *indptr, const int32_t *indices, const float *values, const float *b,
             float beta, float *c, int nthreads);

/* C[k x n] += S[m x k]^T * B[m x n]. Each output row sums its terms in source-row order whatever nthreads. */
void ut_spmm_t(long m, long k, long n, const int32_t *indptr, const int32_t *indices, const float *values, const float *b,
               float *c, int nthreads);

/* out[p] = dot(A[r, :], B[indices[p], :]) for every stored entry p of row r; A is m x n, B is k x n. */
void ut_sddmm(long m, long n, const int32_t *indptr, const int32_t *indices, const float *a, const float *b,
              float *out, int nthreads);

/* out[j] += sum_i x[i, j] for x [m x n] (bias gradients). Threads split the columns. */
void ut_add_col_sums(long m, long n, const float *x, float *out, int nthreads);

/* Elementwise out = f(x) over len values; out may alias x. Max relative error about 2e-7 (3 ulp). */
void ut_vexp(long len, const float *x, float *out, int nthreads);
void ut_vtanh(long len, const float *x, float *out, int nthreads);
void ut_vlog(long len, const float *x, float *out, int nthreads);
void ut_vsigmoid(long len, const float *x, float *out, int nthreads);

/* Row-wise softmax of logits [m x n] into probs, and the multinomial negative log-likelihood of the CSR targets:
 * loss[r] = sum_p values[p] * (lse_r - logits[r, indices[p]]). probs may alias logits. */
void ut_softmax_nll(long m, long n, const float *logits, const int32_t *indptr, const int32_t *indices,
                    const float *values, float *probs, float *loss, int nthreads);

/* Gradient of sum_r g[r] * loss[r] w.r.t. the logits: out[r, :] = g[r] * (sum_p values[p]) * probs[r, :], then
 * out[r, indices[p]] -= g[r] * values[p]. out may alias probs. */
void ut_softmax_nll_backward(long m, long n, const float *probs, const int32_t *indptr, const int32_t *indices,
                             const float *values, const float *g, float *out, int nthreads);

/* One Adam step in place. decoupled = 0: grad += wd * param (L2, as torch.optim.Adam); 1: param -= lr * wd * param
 * (AdamW). bc1 = 1 - beta1^t, bc2 = 1 - beta2^t. */
void ut_adam(long len, float *param, const float *grad, float *m, float *v, double lr, double beta1, double beta2,
             double eps, double wd, int decoupled, double bc1, double bc2, int nthreads);

/* out[n x n] += X^T X for CSR X [m x n] (the item-item co-occurrence / Gram matrix). Threads own output rows. */
void ut_sparse_gram(long m, long n, const int32_t *indptr, const int32_t *indices, const float *values, float *out,
                    int nthreads);

/* out[m x n] = log sum_k w_k exp(l_k), stably; w_k is a [n] row (col[k] = 1) or a full [m x n] matrix. */
void ut_lse_weighted(int K, long m, long n, const float *const *l, const float *const *w, const int *col, float *out,
                     int nthreads);

/* With r_k = g * exp(l_k - out): gl_k += r_k * w_k (when gl[k]) and r[k] = r_k (when r[k]), for the weight grads. */
void ut_lse_weighted_backward(int K, long m, long n, const float *const *l, const float *const *w, const int *col,
                              const float *out, const float *g, float *const *gl, float *const *r, int nthreads);

/* Layer normalisation of x [m x n] per row: out = xhat * gamma + beta with xhat = (x - mean) * inv, inv = 1 /
 * sqrt(var + eps); xhat and inv ([m]) are kept for the backward. */
void ut_layer_norm(long m, long n, const float *x, const float *gamma, const float *beta, float eps, float *out,
                   float *xhat, float *inv, int nthreads);

/* Adds the gradients of layer normalisation: gx [m x n], ggamma and gbeta [n] (each may be NULL). */
void ut_layer_norm_backward(long m, long n, const float *g, const float *xhat, const float *inv, const float *gamma,
                            float *gx, float *ggamma, float *gbeta, int nthreads);

/* Top-k items of every row of scores [m x n], skipping the row's excluded columns (CSR ex_ptr / ex_idx, sorted):
 * out[r * k + q] is the q-th best column, -1 when fewer than k remain. Higher score first, ties by lower column,
 * NaN last. k <= 1024; returns 0 (and does nothing) for a larger k. */
int ut_topk(long m, long n, const float *scores, const int32_t *ex_ptr, const int32_t *ex_idx, long k, int32_t *out,
            int nthreads);

#endif
