/* N-API glue: unpacks typed arrays, checks every index range the kernels will touch (a bad call must throw, never
 * read or write out of bounds), then calls the kernels. The TypeScript side (src/engine/kernels/native.ts) does the
 * friendly shape checking; these checks are the memory-safety net. */
#include <string.h>

#include "gemm.h"
#include "kernels.h"
#include "threadpool.h"

#include "addon_args.h"

/* span of a row-major block with `rows` rows of `cols` used columns and row stride ld, starting at off */
static size_t span(long off, long rows, long cols, long ld) {
  return rows == 0 || cols == 0 ? 0 : (size_t)(off + (rows - 1) * ld + cols);
}

/* gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads) */
static napi_value js_gemm(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 17)) return NULL;
  int ta = boolean(&a, 0), tb = boolean(&a, 1);
  long m = integer(&a, 2), n = integer(&a, 3), k = integer(&a, 4);
  float alpha = (float)num(&a, 5), beta = (float)num(&a, 12);
  long aoff = integer(&a, 7), lda = integer(&a, 8), boff = integer(&a, 10), ldb = integer(&a, 11);
  long coff = integer(&a, 14), ldc = integer(&a, 15);
  if (!a.failed && ((ta ? lda < m : lda < k) || (tb ? ldb < k : ldb < n) || ldc < n)) fail(&a, "leading dimension too small");
  const float *pa = f32(&a, 6, ta ? span(aoff, k, m, lda) : span(aoff, m, k, lda));
  const float *pb = f32(&a, 9, tb ? span(boff, n, k, ldb) : span(boff, k, n, ldb));
  float *pc = f32(&a, 13, span(coff, m, n, ldc));
  int t = threads(&a, 16);
  if (a.failed) return NULL;
  ut_sgemm(ta, tb, m, n, k, alpha, pa + aoff, lda, pb + boff, ldb, beta, pc + coff, ldc, t);
  return NULL;
}

/* spmm(m, k, n, indptr, indices, values, b, beta, c, threads): C[m x n] = beta C + S[m x k] B[k x n] */
static napi_value js_spmm(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 10)) return NULL;
  long m = integer(&a, 0), k = integer(&a, 1), n = integer(&a, 2);
  csr_t s = get_csr(&a, m, k, 3, 4, 5);
  const float *b = f32(&a, 6, (size_t)(k * n));
  float beta = (float)num(&a, 7);
  float *c = f32(&a, 8, (size_t)(m * n));
  int t = threads(&a, 9);
  if (a.failed) return NULL;
  ut_spmm(m, n, s.indptr, s.indices, s.values, b, beta, c, t);
  return NULL;
}

/* spmmT(m, k, n, indptr, indices, values, b, c, threads): C[k x n] += S[m x k]^T B[m x n] */
static napi_value js_spmm_t(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 9)) return NULL;
  long m = integer(&a, 0), k = integer(&a, 1), n = integer(&a, 2);
  csr_t s = get_csr(&a, m, k, 3, 4, 5);
  const float *b = f32(&a, 6, (size_t)(m * n));
  float *c = f32(&a, 7, (size_t)(k * n));
  int t = threads(&a, 8);
  if (a.failed) return NULL;
  ut_spmm_t(m, k, n, s.indptr, s.indices, s.values, b, c, t);
  return NULL;
}

/* sddmm(m, k, n, indptr, indices, a, b, out, threads): out[p] = A[r, :] . B[indices[p], :] */
static napi_value js_sddmm(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 9)) return NULL;
  long m = integer(&a, 0), k = integer(&a, 1), n = integer(&a, 2);
  csr_t s = get_csr(&a, m, k, 3, 4, -1);
  const float *pa = f32(&a, 5, (size_t)(m * n));
  const float *pb = f32(&a, 6, (size_t)(k * n));
  float *out = f32(&a, 7, a.failed ? 0 : (size_t)s.indptr[m]);
  int t = threads(&a, 8);
  if (a.failed) return NULL;
  ut_sddmm(m, n, s.indptr, s.indices, pa, pb, out, t);
  return NULL;
}

/* addColSums(m, n, x, out, threads): out[j] += sum_i x[i, j] */
static napi_value js_add_col_sums(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 5)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1);
  const float *x = f32(&a, 2, (size_t)(m * n));
  float *out = f32(&a, 3, (size_t)n);
  int t = threads(&a, 4);
  if (a.failed) return NULL;
  ut_add_col_sums(m, n, x, out, t);
  return NULL;
}

/* sparseGram(m, n, indptr, indices, values, out, threads): out[n x n] += X^T X */
static napi_value js_sparse_gram(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 7)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1);
  csr_t x = get_csr(&a, m, n, 2, 3, 4);
  float *out = f32(&a, 5, (size_t)n * (size_t)n);
  int t = threads(&a, 6);
  if (a.failed) return NULL;
  ut_sparse_gram(m, n, x.indptr, x.indices, x.values, out, t);
  return NULL;
}

/* layerNorm(m, n, x, gamma, beta, eps, out, xhat, inv, threads) */
static napi_value js_layer_norm(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 10)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1);
  const float *x = f32(&a, 2, (size_t)(m * n)), *gamma = f32(&a, 3, (size_t)n), *beta = f32(&a, 4, (size_t)n);
  float eps = (float)num(&a, 5);
  float *out = f32(&a, 6, (size_t)(m * n)), *xhat = f32(&a, 7, (size_t)(m * n)), *inv = f32(&a, 8, (size_t)m);
  int t = threads(&a, 9);
  if (a.failed) return NULL;
  ut_layer_norm(m, n, x, gamma, beta, eps, out, xhat, inv, t);
  return NULL;
}

/* An optional Float32Array argument (null allowed) of at least `need` values. */
static float *f32_or_null(args_t *a, int i, size_t need) {
  napi_valuetype t;
  if (a->failed) return NULL;
  napi_typeof(a->env, a->argv[i], &t);
  return t == napi_null ? NULL : f32(a, i, need);
}

/* layerNormBackward(m, n, g, xhat, inv, gamma, gx|null, ggamma|null, gbeta|null, threads) */
static napi_value js_layer_norm_backward(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 10)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1);
  const float *g = f32(&a, 2, (size_t)(m * n)), *xhat = f32(&a, 3, (size_t)(m * n)), *inv = f32(&a, 4, (size_t)m);
  const float *gamma = f32(&a, 5, (size_t)n);
  float *gx = f32_or_null(&a, 6, (size_t)(m * n)), *ggamma = f32_or_null(&a, 7, (size_t)n);
  float *gbeta = f32_or_null(&a, 8, (size_t)n);
  int t = threads(&a, 9);
  if (a.failed) return NULL;
  ut_layer_norm_backward(m, n, g, xhat, inv, gamma, gx, ggamma, gbeta, t);
  return NULL;
}

#define MAX_MIX 64

/* Reads a JS array of K Float32Arrays (null allowed when nullable) each at least `need` long (need2 when alt). */
static int f32_list(args_t *a, int i, int K, size_t need, size_t alt, int nullable, float **out, int *is_alt) {
  napi_value arr = a->argv[i];
  for (int k = 0; k < K && !a->failed; k++) {
    napi_value el;
    napi_valuetype t;
    if (napi_get_element(a->env, arr, (uint32_t)k, &el) != napi_ok) return fail(a, "expected an array of Float32Arrays"), 0;
    napi_typeof(a->env, el, &t);
    if (t == napi_null && nullable) {
      out[k] = NULL;
      continue;
    }
    napi_typedarray_type type;
    size_t len;
    void *data;
    if (napi_get_typedarray_info(a->env, el, &type, &len, &data, NULL, NULL) != napi_ok || type != napi_float32_array)
      return fail(a, "expected an array of Float32Arrays"), 0;
    if (len < need && (!is_alt || len < alt)) return fail(a, "Float32Array in a list is shorter than the shape requires"), 0;
    if (is_alt) is_alt[k] = len < need;
    out[k] = data;
  }
  return !a->failed;
}

/* lseWeighted(K, m, n, logits[], weights[], out, threads) */
static napi_value js_lse_weighted(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 7)) return NULL;
  long K = integer(&a, 0), m = integer(&a, 1), n = integer(&a, 2);
  if (!a.failed && (K < 1 || K > MAX_MIX)) fail(&a, "lseWeighted: K must be in 1..64");
  if (a.failed) return NULL;
  float *l[MAX_MIX], *w[MAX_MIX];
  int col[MAX_MIX];
  if (!f32_list(&a, 3, (int)K, (size_t)(m * n), 0, 0, l, NULL)) return NULL;
  if (!f32_list(&a, 4, (int)K, (size_t)(m * n), (size_t)n, 0, w, col)) return NULL;
  float *out = f32(&a, 5, (size_t)(m * n));
  int t = threads(&a, 6);
  if (a.failed) return NULL;
  ut_lse_weighted((int)K, m, n, (const float *const *)l, (const float *const *)w, col, out, t);
  return NULL;
}

/* lseWeightedBackward(K, m, n, logits[], weights[], out, g, gradLogits[], r[], threads) */
static napi_value js_lse_weighted_backward(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 10)) return NULL;
  long K = integer(&a, 0), m = integer(&a, 1), n = integer(&a, 2);
  if (!a.failed && (K < 1 || K > MAX_MIX)) fail(&a, "lseWeighted: K must be in 1..64");
  if (a.failed) return NULL;
  float *l[MAX_MIX], *w[MAX_MIX], *gl[MAX_MIX], *r[MAX_MIX];
  int col[MAX_MIX];
  if (!f32_list(&a, 3, (int)K, (size_t)(m * n), 0, 0, l, NULL)) return NULL;
  if (!f32_list(&a, 4, (int)K, (size_t)(m * n), (size_t)n, 0, w, col)) return NULL;
  const float *out = f32(&a, 5, (size_t)(m * n));
  const float *g = f32(&a, 6, (size_t)(m * n));
  if (!f32_list(&a, 7, (int)K, (size_t)(m * n), 0, 1, gl, NULL)) return NULL;
  if (!f32_list(&a, 8, (int)K, (size_t)(m * n), 0, 1, r, NULL)) return NULL;
  int t = threads(&a, 9);
  if (a.failed) return NULL;
  ut_lse_weighted_backward((int)K, m, n, (const float *const *)l, (const float *const *)w, col, out, g, gl, r, t);
  return NULL;
}

/* topK(m, n, scores, exPtr, exIdx, k, out, threads) */
static napi_value js_topk(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 8)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1), k = integer(&a, 5);
  const float *scores = f32(&a, 2, (size_t)(m * n));
  csr_t ex = get_csr(&a, m, n, 3, 4, -1);
  int32_t *out = i32(&a, 6, (size_t)(m * k));
  int t = threads(&a, 7);
  if (!a.failed && (k < 1 || k > 1024)) fail(&a, "topK: k must be in 1..1024");
  if (a.failed) return NULL;
  ut_topk(m, n, scores, ex.indptr, ex.indices, k, out, t);
  return NULL;
}

typedef void (*unary_fn)(long, const float *, float *, int);

static napi_value unary(napi_env env, napi_callback_info info, unary_fn fn) {
  args_t a;
  if (!load_args(&a, env, info, 3)) return NULL;
  size_t len;
  const float *x = typed(&a, 0, napi_float32_array, &len);
  float *out = f32(&a, 1, len);
  int t = threads(&a, 2);
  if (a.failed) return NULL;
  fn((long)len, x, out, t);
  return NULL;
}

static napi_value js_exp(napi_env env, napi_callback_info info) { return unary(env, info, ut_vexp); }
static napi_value js_tanh(napi_env env, napi_callback_info info) { return unary(env, info, ut_vtanh); }
static napi_value js_log(napi_env env, napi_callback_info info) { return unary(env, info, ut_vlog); }
static napi_value js_sigmoid(napi_env env, napi_callback_info info) { return unary(env, info, ut_vsigmoid); }

/* softmaxNll(m, n, logits, indptr, indices, values, probs, loss, threads) */
static napi_value js_softmax_nll(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 9)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1);
  if (!a.failed && n < 1) fail(&a, "softmax needs at least one column");
  const float *logits = f32(&a, 2, (size_t)(m * n));
  csr_t s = get_csr(&a, m, n, 3, 4, 5);
  float *probs = f32(&a, 6, (size_t)(m * n));
  float *loss = f32(&a, 7, (size_t)m);
  int t = threads(&a, 8);
  if (a.failed) return NULL;
  ut_softmax_nll(m, n, logits, s.indptr, s.indices, s.values, probs, loss, t);
  return NULL;
}

/* softmaxNllBackward(m, n, probs, indptr, indices, values, g, out, threads) */
static napi_value js_softmax_nll_backward(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 9)) return NULL;
  long m = integer(&a, 0), n = integer(&a, 1);
  const float *probs = f32(&a, 2, (size_t)(m * n));
  csr_t s = get_csr(&a, m, n, 3, 4, 5);
  const float *g = f32(&a, 6, (size_t)m);
  float *out = f32(&a, 7, (size_t)(m * n));
  int t = threads(&a, 8);
  if (a.failed) return NULL;
  ut_softmax_nll_backward(m, n, probs, s.indptr, s.indices, s.values, g, out, t);
  return NULL;
}

/* adam(param, grad, m, v, lr, beta1, beta2, eps, wd, decoupled, bc1, bc2, threads) */
static napi_value js_adam(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 13)) return NULL;
  size_t len;
  float *param = typed(&a, 0, napi_float32_array, &len);
  const float *grad = f32(&a, 1, len);
  float *m = f32(&a, 2, len), *v = f32(&a, 3, len);
  double lr = num(&a, 4), b1 = num(&a, 5), b2 = num(&a, 6), eps = num(&a, 7), wd = num(&a, 8);
  int decoupled = boolean(&a, 9);
  double bc1 = num(&a, 10), bc2 = num(&a, 11);
  int t = threads(&a, 12);
  if (a.failed) return NULL;
  ut_adam((long)len, param, grad, m, v, lr, b1, b2, eps, wd, decoupled, bc1, bc2, t);
  return NULL;
}

static void set_bool(napi_env env, napi_value obj, const char *key, int v) {
  napi_value b;
  napi_get_boolean(env, v, &b);
  napi_set_named_property(env, obj, key, b);
}

static void set_string(napi_env env, napi_value obj, const char *key, const char *v) {
  napi_value s;
  napi_create_string_utf8(env, v, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, key, s);
}

/* info(): {gemmKernel, compiler, maxThreads, cpu: {avx2, fma, avx512f}} */
static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, cpu, mt;
  napi_create_object(env, &obj);
  napi_create_object(env, &cpu);
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  set_bool(env, cpu, "avx2", __builtin_cpu_supports("avx2"));
  set_bool(env, cpu, "fma", __builtin_cpu_supports("fma"));
  set_bool(env, cpu, "avx512f", __builtin_cpu_supports("avx512f"));
#endif
  napi_set_named_property(env, obj, "cpu", cpu);
  set_string(env, obj, "gemmKernel", ut_gemm_kernel_name());
#ifdef __VERSION__
  set_string(env, obj, "compiler", __VERSION__);
#endif
  napi_create_int32(env, UT_MAX_THREADS, &mt);
  napi_set_named_property(env, obj, "maxThreads", mt);
  return obj;
}

/* forceGemmKernel(family): true if the family ("avx512" | "avx2" | "generic") runs on this CPU and is now used */
static napi_value js_force_kernel(napi_env env, napi_callback_info info) {
  args_t a;
  if (!load_args(&a, env, info, 1)) return NULL;
  char family[32] = {0};
  size_t n = 0;
  if (napi_get_value_string_utf8(env, a.argv[0], family, sizeof family, &n) != napi_ok) {
    fail(&a, "expected a string");
    return NULL;
  }
  napi_value r;
  napi_get_boolean(env, ut_gemm_force_kernel(family), &r);
  return r;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"gemm", 0, js_gemm, 0, 0, 0, napi_enumerable, 0},
      {"spmm", 0, js_spmm, 0, 0, 0, napi_enumerable, 0},
      {"spmmT", 0, js_spmm_t, 0, 0, 0, napi_enumerable, 0},
      {"sddmm", 0, js_sddmm, 0, 0, 0, napi_enumerable, 0},
      {"addColSums", 0, js_add_col_sums, 0, 0, 0, napi_enumerable, 0},
      {"topK", 0, js_topk, 0, 0, 0, napi_enumerable, 0},
      {"lseWeighted", 0, js_lse_weighted, 0, 0, 0, napi_enumerable, 0},
      {"layerNorm", 0, js_layer_norm, 0, 0, 0, napi_enumerable, 0},
      {"layerNormBackward", 0, js_layer_norm_backward, 0, 0, 0, napi_enumerable, 0},
      {"lseWeightedBackward", 0, js_lse_weighted_backward, 0, 0, 0, napi_enumerable, 0},
      {"sparseGram", 0, js_sparse_gram, 0, 0, 0, napi_enumerable, 0},
      {"exp", 0, js_exp, 0, 0, 0, napi_enumerable, 0},
      {"tanh", 0, js_tanh, 0, 0, 0, napi_enumerable, 0},
      {"log", 0, js_log, 0, 0, 0, napi_enumerable, 0},
      {"sigmoid", 0, js_sigmoid, 0, 0, 0, napi_enumerable, 0},
      {"softmaxNll", 0, js_softmax_nll, 0, 0, 0, napi_enumerable, 0},
      {"softmaxNllBackward", 0, js_softmax_nll_backward, 0, 0, 0, napi_enumerable, 0},
      {"adam", 0, js_adam, 0, 0, 0, napi_enumerable, 0},
      {"info", 0, js_info, 0, 0, 0, napi_enumerable, 0},
      {"forceGemmKernel", 0, js_force_kernel, 0, 0, 0, napi_enumerable, 0},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
