/* Vectorised exp / tanh / sigmoid (AVX2 with a scalar libm fallback). Written here because libm's scalar expf and
 * tanhf cost ~10 ns per value and these run over every activation and every logit of every batch. The polynomial
 * and range reduction are the classic Cephes single-precision ones (relative error ~2e-7). */
#include "vecmath.h"

#include <math.h>

static float sigmoidf_scalar(float x) { return x >= 0 ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x)); }

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AVX2_TARGET __attribute__((target("avx2,fma")))

static int have_avx2(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }
  return cached;
}

/* exp for x in [-87.3, 88.0] (callers guarantee the range). */
AVX2_TARGET static inline __m256 exp8(__m256 x) {
  const __m256 log2e = _mm256_set1_ps(1.44269504088896341f);
  const __m256 c1 = _mm256_set1_ps(0.693359375f), c2 = _mm256_set1_ps(-2.12194440e-4f);
  __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  x = _mm256_fnmadd_ps(fx, c1, x);
  x = _mm256_fnmadd_ps(fx, c2, x);
  __m256 y = _mm256_set1_ps(1.9875691500e-4f);
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
  y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
  __m256i n = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(y, _mm256_castsi256_ps(n));
}

/* Lanes outside [lo, hi] or NaN: the caller falls back to libm for the whole vector. */
AVX2_TARGET static inline int in_range(__m256 x, float lo, float hi) {
  __m256 ok = _mm256_and_ps(_mm256_cmp_ps(x, _mm256_set1_ps(lo), _CMP_GE_OQ),
                            _mm256_cmp_ps(x, _mm256_set1_ps(hi), _CMP_LE_OQ));
  return _mm256_movemask_ps(ok) == 0xff;
}

AVX2_TARGET static void vexp_avx2(long len, const float *x, float *out) {
  long i = 0;
  for (; i + 8 <= len; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    if (in_range(v, -87.3f, 88.0f)) {
      _mm256_storeu_ps(out + i, exp8(v));
    } else {
      for (int j = 0; j < 8; j++) out[i + j] = expf(x[i + j]);
    }
  }
  for (; i < len; i++) out[i] = expf(x[i]);
}

AVX2_TARGET static float exp_shift_sum_avx2(long len, const float *x, float shift, float *out) {
  __m256 acc = _mm256_setzero_ps(), s = _mm256_set1_ps(shift), lo = _mm256_set1_ps(-87.3f);
  long i = 0;
  for (; i + 8 <= len; i += 8) {
    /* x - shift <= 0 by construction; below -87.3 exp is ~0 and the clamp keeps the kernel in range. */
    __m256 e = exp8(_mm256_max_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), s), lo));
    _mm256_storeu_ps(out + i, e);
    acc = _mm256_add_ps(acc, e);
  }
  float buf[8];
  _mm256_storeu_ps(buf, acc);
  float sum = ((buf[0] + buf[4]) + (buf[1] + buf[5])) + ((buf[2] + buf[6]) + (buf[3] + buf[7]));
  for (; i < len; i++) {
    out[i] = expf(x[i] - shift);
    sum += out[i];
  }
  return sum;
}

/* natural log for x in [FLT_MIN, FLT_MAX] (callers check the range): x = m 2^e, m in [sqrt(1/2), sqrt(2)),
 * log(x) = e ln 2 + log(m) with Cephes' polynomial for log(1 + f). */
AVX2_TARGET static inline __m256 log8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256i bits = _mm256_castps_si256(x);
  __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126)));
  __m256 m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x807fffff)), _mm256_set1_epi32(0x3f000000)));
  __m256 small = _mm256_cmp_ps(m, _mm256_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
  e = _mm256_sub_ps(e, _mm256_and_ps(one, small));
  __m256 f = _mm256_sub_ps(_mm256_add_ps(m, _mm256_and_ps(m, small)), one);
  __m256 z = _mm256_mul_ps(f, f);
  __m256 y = _mm256_set1_ps(7.0376836292e-2f);
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(-1.1514610310e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(1.1676998740e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(-1.2420140846e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(1.4249322787e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(-1.6668057665e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(2.0000714765e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(-2.4999993993e-1f));
  y = _mm256_fmadd_ps(y, f, _mm256_set1_ps(3.3333331174e-1f));
  y = _mm256_mul_ps(_mm256_mul_ps(y, f), z);
  y = _mm256_fmadd_ps(e, _mm256_set1_ps(-2.12194440e-4f), y);
  y = _mm256_fnmadd_ps(_mm256_set1_ps(0.5f), z, y);
  return _mm256_fmadd_ps(e, _mm256_set1_ps(0.693359375f), _mm256_add_ps(f, y));
}

AVX2_TARGET static void vlog_avx2(long len, const float *x, float *out) {
  long i = 0;
  for (; i + 8 <= len; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    if (in_range(v, 1.17549435e-38f, 3.40282347e38f)) {
      _mm256_storeu_ps(out + i, log8(v));
    } else {
      for (int j = 0; j < 8; j++) out[i + j] = logf(x[i + j]);
    }
  }
  for (; i < len; i++) out[i] = logf(x[i]);
}

AVX2_TARGET static void vtanh_avx2(long len, const float *x, float *out) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  long i = 0;
  for (; i + 8 <= len; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    __m256 ax = _mm256_andnot_ps(sign_mask, v);
    /* small |x|: odd polynomial (Cephes tanhf) to avoid cancellation in 1 - e */
    __m256 s = _mm256_mul_ps(v, v);
    __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(-5.37397155531e-2f));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(-3.33332819422e-1f));
    __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, s), v, v);
    /* large |x|: 1 - 2 / (exp(2|x|) + 1) written with e = exp(-2|x|) <= 1 */
    __m256 e = exp8(_mm256_max_ps(_mm256_mul_ps(ax, _mm256_set1_ps(-2.0f)), _mm256_set1_ps(-87.0f)));
    __m256 one = _mm256_set1_ps(1.0f);
    __m256 big = _mm256_div_ps(_mm256_sub_ps(one, e), _mm256_add_ps(one, e));
    big = _mm256_or_ps(big, _mm256_and_ps(v, sign_mask));
    __m256 r = _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
    r = _mm256_blendv_ps(r, v, _mm256_cmp_ps(v, v, _CMP_UNORD_Q)); /* NaN in, NaN out */
    _mm256_storeu_ps(out + i, r);
  }
  for (; i < len; i++) out[i] = tanhf(x[i]);
}

AVX2_TARGET static void vsigmoid_avx2(long len, const float *x, float *out) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
  long i = 0;
  for (; i + 8 <= len; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    if (!in_range(v, -87.0f, 87.0f)) { /* tails far out (or NaN): libm keeps the tiny values exact */
      for (int j = 0; j < 8; j++) out[i + j] = sigmoidf_scalar(x[i + j]);
      continue;
    }
    __m256 nax = _mm256_or_ps(v, sign_mask); /* -|x| */
    __m256 e = exp8(nax);
    __m256 pos = _mm256_div_ps(one, _mm256_add_ps(one, e)); /* sigmoid(|x|) */
    __m256 neg = _mm256_div_ps(e, _mm256_add_ps(one, e));   /* sigmoid(-|x|) */
    __m256 r = _mm256_blendv_ps(pos, neg, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ));
    _mm256_storeu_ps(out + i, r);
  }
  for (; i < len; i++) out[i] = sigmoidf_scalar(x[i]);
}
#endif

void ut_vexp_serial(long len, const float *x, float *out) {
#if defined(__x86_64__) || defined(__i386__)
  if (have_avx2()) {
    vexp_avx2(len, x, out);
    return;
  }
#endif
  for (long i = 0; i < len; i++) out[i] = expf(x[i]);
}

void ut_vlog_serial(long len, const float *x, float *out) {
#if defined(__x86_64__) || defined(__i386__)
  if (have_avx2()) {
    vlog_avx2(len, x, out);
    return;
  }
#endif
  for (long i = 0; i < len; i++) out[i] = logf(x[i]);
}

void ut_vtanh_serial(long len, const float *x, float *out) {
#if defined(__x86_64__) || defined(__i386__)
  if (have_avx2()) {
    vtanh_avx2(len, x, out);
    return;
  }
#endif
  for (long i = 0; i < len; i++) out[i] = tanhf(x[i]);
}

void ut_vsigmoid_serial(long len, const float *x, float *out) {
#if defined(__x86_64__) || defined(__i386__)
  if (have_avx2()) {
    vsigmoid_avx2(len, x, out);
    return;
  }
#endif
  for (long i = 0; i < len; i++) out[i] = sigmoidf_scalar(x[i]);
}

float ut_exp_shift_sum(long len, const float *x, float shift, float *out) {
#if defined(__x86_64__) || defined(__i386__)
  if (have_avx2()) return exp_shift_sum_avx2(len, x, shift, out);
#endif
  float sum = 0.0f;
  for (long i = 0; i < len; i++) {
    out[i] = expf(x[i] - shift);
    sum += out[i];
  }
  return sum;
}
