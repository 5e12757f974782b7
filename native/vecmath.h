#ifndef UT_VECMATH_H
#define UT_VECMATH_H

/* Single-threaded elementwise functions over len floats; out may alias x. */
void ut_vexp_serial(long len, const float *x, float *out);
void ut_vtanh_serial(long len, const float *x, float *out);
void ut_vlog_serial(long len, const float *x, float *out);
void ut_vsigmoid_serial(long len, const float *x, float *out);

/* out[i] = exp(x[i] - shift) for x[i] <= shift; returns the sum of out. */
float ut_exp_shift_sum(long len, const float *x, float shift, float *out);

#endif
