/* train.c — entry points of the training ops (smoothkit_train.h): the checks of
 * train_entries.inc, written once and instantiated per element type, then the active kernel
 * table. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include "internal.h"
#include "checks.h"
#include "instance.h"

/* The masked forward ops: the mask's shape and the lengths' range (after api.c's checks). */
static smk_status masked_checks(size_t rows, size_t cols, const int64_t *lengths, const uint8_t *mask, size_t ldm) {
    if (mask && !smk_extent_ok(rows, cols, ldm, 1)) return SMK_ERR_SHAPE;
    if (lengths)
        for (size_t r = 0; r < rows; ++r)
            if (lengths[r] < 0 || (uint64_t)lengths[r] > cols) return SMK_ERR_DOMAIN;
    return SMK_OK;
}

#include "kernels/types_f32.h"
#include "train/train_entries.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "train/train_entries.inc"
#include "kernels/types_undef.h"

/* The exported entry points, one per element type. */

smk_status smk_logsumexp_backward_f32(const float *x, size_t rows, size_t cols, size_t ldx, const float *g, float t,
                                      float *dx, size_t lddx) {
    return backward_from_x_f32(smk_active_kernels()->logsumexp_backward_f32, x, rows, cols, ldx, g, t, dx, lddx);
}

smk_status smk_logsumexp_backward_f64(const double *x, size_t rows, size_t cols, size_t ldx, const double *g, double t,
                                      double *dx, size_t lddx) {
    return backward_from_x_f64(smk_active_kernels()->logsumexp_backward_f64, x, rows, cols, ldx, g, t, dx, lddx);
}

smk_status smk_softargmax_backward_f32(const float *x, size_t rows, size_t cols, size_t ldx, const float *g, float t,
                                       float *dx, size_t lddx) {
    return backward_from_x_f32(smk_active_kernels()->softargmax_backward_f32, x, rows, cols, ldx, g, t, dx, lddx);
}

smk_status smk_softargmax_backward_f64(const double *x, size_t rows, size_t cols, size_t ldx, const double *g, double t,
                                       double *dx, size_t lddx) {
    return backward_from_x_f64(smk_active_kernels()->softargmax_backward_f64, x, rows, cols, ldx, g, t, dx, lddx);
}

smk_status smk_softmax_backward_f32(const float *p, size_t rows, size_t cols, size_t ldp, const float *g, size_t ldg,
                                    float t, float *dx, size_t lddx) {
    return softmax_backward_f32(p, rows, cols, ldp, g, ldg, t, dx, lddx);
}

smk_status smk_softmax_backward_f64(const double *p, size_t rows, size_t cols, size_t ldp, const double *g, size_t ldg,
                                    double t, double *dx, size_t lddx) {
    return softmax_backward_f64(p, rows, cols, ldp, g, ldg, t, dx, lddx);
}

smk_status smk_log_softmax_backward_f32(const float *y, size_t rows, size_t cols, size_t ldy, smk_prob_form form,
                                        const float *g, size_t ldg, float t, float *dx, size_t lddx) {
    return log_softmax_backward_f32(y, rows, cols, ldy, form, g, ldg, t, dx, lddx);
}

smk_status smk_log_softmax_backward_f64(const double *y, size_t rows, size_t cols, size_t ldy, smk_prob_form form,
                                        const double *g, size_t ldg, double t, double *dx, size_t lddx) {
    return log_softmax_backward_f64(y, rows, cols, ldy, form, g, ldg, t, dx, lddx);
}

smk_status smk_cross_entropy_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *labels,
                                 int64_t ignore, float smoothing, float t, smk_reduction reduction, float *loss,
                                 float *dx, size_t lddx) {
    return cross_entropy_f32(x, rows, cols, ldx, labels, ignore, NULL, cols, smoothing, t, reduction, loss, dx, lddx);
}

smk_status smk_cross_entropy_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *labels,
                                 int64_t ignore, double smoothing, double t, smk_reduction reduction, double *loss,
                                 double *dx, size_t lddx) {
    return cross_entropy_f64(x, rows, cols, ldx, labels, ignore, NULL, cols, smoothing, t, reduction, loss, dx, lddx);
}

smk_status smk_cross_entropy_soft_f32(const float *x, size_t rows, size_t cols, size_t ldx, const float *target,
                                      size_t ldq, float smoothing, float t, smk_reduction reduction, float *loss,
                                      float *dx, size_t lddx) {
    return cross_entropy_f32(x, rows, cols, ldx, NULL, 0, soft_target_f32(target, cols), ldq, smoothing, t, reduction,
                             loss, dx, lddx);
}

smk_status smk_cross_entropy_soft_f64(const double *x, size_t rows, size_t cols, size_t ldx, const double *target,
                                      size_t ldq, double smoothing, double t, smk_reduction reduction, double *loss,
                                      double *dx, size_t lddx) {
    return cross_entropy_f64(x, rows, cols, ldx, NULL, 0, soft_target_f64(target, cols), ldq, smoothing, t, reduction,
                             loss, dx, lddx);
}

smk_status smk_lse_state_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *m, float *s) {
    return lse_state_f32(x, rows, cols, ldx, t, m, s);
}

smk_status smk_lse_state_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *m, double *s) {
    return lse_state_f64(x, rows, cols, ldx, t, m, s);
}

smk_status smk_lse_merge_f32(const float *m1, const float *s1, const float *m2, const float *s2, size_t n, float t,
                             float *m, float *s) {
    return lse_merge_f32(m1, s1, m2, s2, n, t, m, s);
}

smk_status smk_lse_merge_f64(const double *m1, const double *s1, const double *m2, const double *s2, size_t n, double t,
                             double *m, double *s) {
    return lse_merge_f64(m1, s1, m2, s2, n, t, m, s);
}

smk_status smk_lse_finalize_f32(const float *m, const float *s, size_t n, float t, float *out) {
    return lse_finalize_f32(m, s, n, t, out);
}

smk_status smk_lse_finalize_f64(const double *m, const double *s, size_t n, double t, double *out) {
    return lse_finalize_f64(m, s, n, t, out);
}

smk_status smk_masked_logsumexp_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                    const uint8_t *mask, size_t ldm, float t, float *out) {
    return masked_f32(SMK_OP_LOGSUMEXP, 0, x, rows, cols, ldx, lengths, mask, ldm, t, out, 1);
}

smk_status smk_masked_logsumexp_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                    const uint8_t *mask, size_t ldm, double t, double *out) {
    return masked_f64(SMK_OP_LOGSUMEXP, 0, x, rows, cols, ldx, lengths, mask, ldm, t, out, 1);
}

smk_status smk_masked_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                  const uint8_t *mask, size_t ldm, float t, float *y, size_t ldy) {
    return masked_f32(SMK_OP_SOFTMAX, 1, x, rows, cols, ldx, lengths, mask, ldm, t, y, ldy);
}

smk_status smk_masked_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                  const uint8_t *mask, size_t ldm, double t, double *y, size_t ldy) {
    return masked_f64(SMK_OP_SOFTMAX, 1, x, rows, cols, ldx, lengths, mask, ldm, t, y, ldy);
}

smk_status smk_masked_log_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                      const uint8_t *mask, size_t ldm, float t, float *y, size_t ldy) {
    return masked_f32(SMK_OP_LOG_SOFTMAX, 1, x, rows, cols, ldx, lengths, mask, ldm, t, y, ldy);
}

smk_status smk_masked_log_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                      const uint8_t *mask, size_t ldm, double t, double *y, size_t ldy) {
    return masked_f64(SMK_OP_LOG_SOFTMAX, 1, x, rows, cols, ldx, lengths, mask, ldm, t, y, ldy);
}

smk_status smk_masked_softargmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                     const uint8_t *mask, size_t ldm, float t, float *out) {
    return masked_f32(SMK_OP_SOFTARGMAX, 0, x, rows, cols, ldx, lengths, mask, ldm, t, out, 1);
}

smk_status smk_masked_softargmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                     const uint8_t *mask, size_t ldm, double t, double *out) {
    return masked_f64(SMK_OP_SOFTARGMAX, 0, x, rows, cols, ldx, lengths, mask, ldm, t, out, 1);
}

smk_status smk_logsumexp_weighted_f32(const float *x, size_t rows, size_t cols, size_t ldx, const float *b, size_t ldb,
                                      float t, float *out, float *sign) {
    return logsumexp_weighted_f32(x, rows, cols, ldx, b, ldb, t, out, sign);
}

smk_status smk_logsumexp_weighted_f64(const double *x, size_t rows, size_t cols, size_t ldx, const double *b,
                                      size_t ldb, double t, double *out, double *sign) {
    return logsumexp_weighted_f64(x, rows, cols, ldx, b, ldb, t, out, sign);
}

smk_status smk_col_logsumexp_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return col_f32(SMK_OP_LOGSUMEXP, 0, x, rows, cols, ldx, t, out, 1);
}

smk_status smk_col_logsumexp_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out) {
    return col_f64(SMK_OP_LOGSUMEXP, 0, x, rows, cols, ldx, t, out, 1);
}

smk_status smk_col_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy) {
    return col_f32(SMK_OP_SOFTMAX, 1, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_col_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy) {
    return col_f64(SMK_OP_SOFTMAX, 1, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_col_log_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y,
                                   size_t ldy) {
    return col_f32(SMK_OP_LOG_SOFTMAX, 1, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_col_log_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y,
                                   size_t ldy) {
    return col_f64(SMK_OP_LOG_SOFTMAX, 1, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_col_softargmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return col_f32(SMK_OP_SOFTARGMAX, 0, x, rows, cols, ldx, t, out, 1);
}

smk_status smk_col_softargmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out) {
    return col_f64(SMK_OP_SOFTARGMAX, 0, x, rows, cols, ldx, t, out, 1);
}
