/* Argument unpacking for the N-API glue: every getter checks type and length and records the first failure as a
 * thrown RangeError, so a bad call from JS never reaches a kernel. */
#ifndef UT_ADDON_ARGS_H
#define UT_ADDON_ARGS_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_ARGS 20

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} args_t;

static inline int fail(args_t *a, const char *msg) {
  if (!a->failed) napi_throw_range_error(a->env, "E_NATIVE_ARGS", msg);
  a->failed = 1;
  return 0;
}

static inline int load_args(args_t *a, napi_env env, napi_callback_info info, size_t want) {
  a->env = env;
  a->argc = MAX_ARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok || a->argc < want) {
    char msg[96];
    snprintf(msg, sizeof msg, "native kernel expects %zu arguments, got %zu", want, a->argc);
    fail(a, msg);
    return 0;
  }
  return 1;
}

static inline double num(args_t *a, int i) {
  double v = 0;
  if (!a->failed && napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) fail(a, "expected a number argument");
  return v;
}

static inline long integer(args_t *a, int i) {
  double v = num(a, i);
  if (!a->failed && (v < 0 || v > 9.0e15 || v != (double)(long)v)) fail(a, "expected a non-negative integer");
  return (long)v;
}

static inline int boolean(args_t *a, int i) {
  bool v = false;
  if (!a->failed && napi_get_value_bool(a->env, a->argv[i], &v) != napi_ok) fail(a, "expected a boolean argument");
  return v;
}

static inline void *typed(args_t *a, int i, napi_typedarray_type want, size_t *len) {
  napi_typedarray_type type;
  void *data = NULL;
  *len = 0;
  if (a->failed) return NULL;
  if (napi_get_typedarray_info(a->env, a->argv[i], &type, len, &data, NULL, NULL) != napi_ok || type != want) {
    fail(a, want == napi_float32_array ? "expected a Float32Array" : "expected an Int32Array");
    return NULL;
  }
  return data;
}

static inline float *f32(args_t *a, int i, size_t need) {
  size_t len;
  float *p = typed(a, i, napi_float32_array, &len);
  if (!a->failed && len < need) fail(a, "Float32Array is shorter than the shape requires");
  return p;
}

static inline int32_t *i32(args_t *a, int i, size_t need) {
  size_t len;
  int32_t *p = typed(a, i, napi_int32_array, &len);
  if (!a->failed && len < need) fail(a, "Int32Array is shorter than the shape requires");
  return p;
}

typedef struct {
  const int32_t *indptr, *indices;
  const float *values;
} csr_t;

/* Reads a CSR block (m + 1 non-decreasing row pointers, indices and optional values) and checks every column index
 * lies in [0, k). val_arg < 0: no values array. */
static inline csr_t get_csr(args_t *a, long m, long k, int ptr_arg, int idx_arg, int val_arg) {
  csr_t c = {0, 0, 0};
  c.indptr = i32(a, ptr_arg, (size_t)m + 1);
  if (a->failed) return c;
  for (long r = 0; r < m; r++)
    if (c.indptr[r] < 0 || c.indptr[r + 1] < c.indptr[r]) {
      fail(a, "CSR row pointers must be non-decreasing");
      return c;
    }
  size_t nnz = (size_t)c.indptr[m];
  c.indices = i32(a, idx_arg, nnz);
  if (val_arg >= 0) c.values = f32(a, val_arg, nnz);
  if (a->failed) return c;
  for (size_t p = (size_t)c.indptr[0]; p < nnz; p++)
    if (c.indices[p] < 0 || c.indices[p] >= k) {
      fail(a, "CSR column index out of range");
      return c;
    }
  return c;
}

static inline int threads(args_t *a, int i) {
  long t = integer(a, i);
  return t < 1 ? 1 : (t > UT_MAX_THREADS ? UT_MAX_THREADS : (int)t);
}

#endif
