/* catalog.c — the C entry points of the smoothing catalog (SPEC §2, smoothkit_catalog.h,
 * smoothkit_catalog_grad.h): catalog_entries.inc and catalog_grad_entries.inc written once,
 * instantiated here for float and double. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include "internal.h"
#include "checks.h"
#include "instance.h"
#include "catalog/catalog_math.h"

#include "kernels/types_f32.h"
#include "catalog/catalog_entries.inc"
#include "catalog/catalog_grad_entries.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "catalog/catalog_entries.inc"
#include "catalog/catalog_grad_entries.inc"
#include "kernels/types_undef.h"

/* The exported entry points, one per element type. */

smk_status smk_smooth_abs_f32(const float *x, size_t n, smk_abs_kind kind, float param, float *y, float *dy) {
    return smooth_abs_f32(x, n, kind, param, y, dy);
}

smk_status smk_smooth_abs_f64(const double *x, size_t n, smk_abs_kind kind, double param, double *y, double *dy) {
    return smooth_abs_f64(x, n, kind, param, y, dy);
}

smk_status smk_smooth_max_f32(const float *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind, float param,
                              smk_extremum ext, float *out) {
    return smooth_max_f32(x, rows, cols, ldx, kind, param, ext, out);
}

smk_status smk_smooth_max_f64(const double *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind, double param,
                              smk_extremum ext, double *out) {
    return smooth_max_f64(x, rows, cols, ldx, kind, param, ext, out);
}

smk_status smk_smooth_max2_f32(const float *a, const float *b, size_t n, smk_pair_kind kind, float param,
                               smk_extremum ext, float *out) {
    return smooth_max2_f32(a, b, n, kind, param, ext, out);
}

smk_status smk_smooth_max2_f64(const double *a, const double *b, size_t n, smk_pair_kind kind, double param,
                               smk_extremum ext, double *out) {
    return smooth_max2_f64(a, b, n, kind, param, ext, out);
}

smk_status smk_mollifier_f32(const float *x, size_t n, smk_kernel kernel, float param, smk_kernel_part part,
                             float *out) {
    return mollifier_f32(x, n, kernel, param, part, out);
}

smk_status smk_mollifier_f64(const double *x, size_t n, smk_kernel kernel, double param, smk_kernel_part part,
                             double *out) {
    return mollifier_f64(x, n, kernel, param, part, out);
}

smk_status smk_mollify_piecewise_f32(const float *x, size_t n, smk_kernel kernel, float param, float intercept,
                                     float slope, const float *knots, const float *jumps, const float *slope_changes,
                                     size_t m, float *y, float *dy) {
    return mollify_piecewise_f32(x, n, kernel, param, intercept, slope, knots, jumps, slope_changes, m, y, dy);
}

smk_status smk_mollify_piecewise_f64(const double *x, size_t n, smk_kernel kernel, double param, double intercept,
                                     double slope, const double *knots, const double *jumps,
                                     const double *slope_changes, size_t m, double *y, double *dy) {
    return mollify_piecewise_f64(x, n, kernel, param, intercept, slope, knots, jumps, slope_changes, m, y, dy);
}

smk_status smk_smooth_quantize_f32(const float *x, size_t n, smk_quantizer q, smk_kernel kernel, float param,
                                   float *y) {
    return smooth_quantize_f32(x, n, q, kernel, param, y);
}

smk_status smk_smooth_quantize_f64(const double *x, size_t n, smk_quantizer q, smk_kernel kernel, double param,
                                   double *y) {
    return smooth_quantize_f64(x, n, q, kernel, param, y);
}

smk_status smk_smooth_accuracy_f32(const float *logits, size_t rows, size_t cols, size_t ld, const int64_t *labels,
                                   float *acc, float *grad, size_t ldg) {
    return smooth_accuracy_f32(logits, rows, cols, ld, labels, acc, grad, ldg);
}

smk_status smk_smooth_accuracy_f64(const double *logits, size_t rows, size_t cols, size_t ld, const int64_t *labels,
                                   double *acc, double *grad, size_t ldg) {
    return smooth_accuracy_f64(logits, rows, cols, ld, labels, acc, grad, ldg);
}

smk_status smk_smooth_f1_f32(const float *logits, size_t n, const int64_t *labels, float *f1, float *grad) {
    return smooth_f1_f32(logits, n, labels, f1, grad);
}

smk_status smk_smooth_f1_f64(const double *logits, size_t n, const int64_t *labels, double *f1, double *grad) {
    return smooth_f1_f64(logits, n, labels, f1, grad);
}

smk_status smk_smooth_macro_f1_f32(const float *logits, size_t rows, size_t cols, size_t ld, const int64_t *labels,
                                   double *work, float *f1, float *grad, size_t ldg) {
    return smooth_macro_f1_f32(logits, rows, cols, ld, labels, work, f1, grad, ldg);
}

smk_status smk_smooth_macro_f1_f64(const double *logits, size_t rows, size_t cols, size_t ld, const int64_t *labels,
                                   double *work, double *f1, double *grad, size_t ldg) {
    return smooth_macro_f1_f64(logits, rows, cols, ld, labels, work, f1, grad, ldg);
}

smk_status smk_smooth_max_grad_f32(const float *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind, float param,
                                   smk_extremum ext, float *g, size_t ldg) {
    return smooth_max_grad_f32(x, rows, cols, ldx, kind, param, ext, g, ldg);
}

smk_status smk_smooth_max_grad_f64(const double *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind,
                                   double param, smk_extremum ext, double *g, size_t ldg) {
    return smooth_max_grad_f64(x, rows, cols, ldx, kind, param, ext, g, ldg);
}

smk_status smk_smooth_max2_grad_f32(const float *a, const float *b, size_t n, smk_pair_kind kind, float param,
                                    smk_extremum ext, float *ga, float *gb) {
    return smooth_max2_grad_f32(a, b, n, kind, param, ext, ga, gb);
}

smk_status smk_smooth_max2_grad_f64(const double *a, const double *b, size_t n, smk_pair_kind kind, double param,
                                    smk_extremum ext, double *ga, double *gb) {
    return smooth_max2_grad_f64(a, b, n, kind, param, ext, ga, gb);
}
