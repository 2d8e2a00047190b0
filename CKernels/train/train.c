/* train.c — entry points of the training ops (smoothkit_train.h): argument checks in the
 * order of api.c (rows == 0, temperature, shapes, pointers, domain), then the active kernel
 * table. Nothing is written unless every check passes. */
#include <math.h>
#include <stdint.h>
#include "internal.h"
#include "checks.h"

/* Shape of one more row-major argument of `rows × cols` with leading dimension ld. */
#define SMK_SHAPE_OK(ld, T) smk_extent_ok(rows, cols, (ld), sizeof(T))

/* Inputs may be NULL when cols == 0, but the kernels form p + r·ld for every row: an empty
 * matrix is handed to them as a stand-in that is never read, with ld = 0. */
#define SMK_EMPTY_ROWS(T, p, ld)                                                                  \
    do {                                                                                           \
        static const T empty_rows_ = 0;                                                            \
        if (cols == 0) {                                                                           \
            (p) = &empty_rows_;                                                                    \
            (ld) = 0;                                                                              \
        }                                                                                          \
    } while (0)

/* Backward from x with one upstream value per row: logsumexp, softargmax. */
#define SMK_DEFINE_BACKWARD_FROM_X(op, T, SUF)                                                     \
    smk_status smk_##op##_backward_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,         \
                                         const T *g, T t, T *dx, size_t lddx) {                    \
        if (rows == 0) return SMK_OK;                                                              \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!SMK_SHAPE_OK(ldx, T) || !SMK_SHAPE_OK(lddx, T)) return SMK_ERR_SHAPE;                 \
        if (!g || !dx || (cols > 0 && !x)) return SMK_ERR_NULL;                                    \
        SMK_EMPTY_ROWS(T, x, ldx);                                                                 \
        smk_active_kernels()->op##_backward_##SUF(x, rows, cols, ldx, g, t, dx, lddx);             \
        return SMK_OK;                                                                             \
    }

/* The checks of a backward from a forward output y and a matrix g of upstream gradients. */
#define SMK_CHECK_BACKWARD_FROM_Y(T)                                                               \
    if (rows == 0) return SMK_OK;                                                                  \
    if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                                \
    if (!SMK_SHAPE_OK(ldy, T) || !SMK_SHAPE_OK(ldg, T) || !SMK_SHAPE_OK(lddx, T))                  \
        return SMK_ERR_SHAPE;                                                                      \
    if (!dx || (cols > 0 && (!y || !g))) return SMK_ERR_NULL;                                      \
    SMK_EMPTY_ROWS(T, y, ldy);                                                                     \
    SMK_EMPTY_ROWS(T, g, ldg);

#define SMK_DEFINE_TRAIN(T, SUF)                                                                   \
    SMK_DEFINE_BACKWARD_FROM_X(logsumexp, T, SUF)                                                  \
    SMK_DEFINE_BACKWARD_FROM_X(softargmax, T, SUF)                                                 \
                                                                                                   \
    smk_status smk_softmax_backward_##SUF(const T *y, size_t rows, size_t cols, size_t ldy,        \
                                          const T *g, size_t ldg, T t, T *dx, size_t lddx) {       \
        SMK_CHECK_BACKWARD_FROM_Y(T)                                                               \
        smk_active_kernels()->softmax_backward_##SUF(y, rows, cols, ldy, g, ldg, t, dx, lddx);     \
        return SMK_OK;                                                                             \
    }                                                                                              \
                                                                                                   \
    smk_status smk_log_softmax_backward_##SUF(const T *y, size_t rows, size_t cols, size_t ldy,    \
                                              smk_prob_form form, const T *g, size_t ldg, T t,     \
                                              T *dx, size_t lddx) {                                \
        SMK_CHECK_BACKWARD_FROM_Y(T)                                                               \
        if (form != SMK_FORM_LOG_PROB && form != SMK_FORM_PROB) return SMK_ERR_DOMAIN;             \
        smk_active_kernels()->log_softmax_backward_##SUF(y, rows, cols, ldy, (int)form, g, ldg, t, \
                                                         dx, lddx);                                \
        return SMK_OK;                                                                             \
    }                                                                                              \
                                                                                                   \
    /* Shared checks of both cross-entropy forms (labels or target non-null, not both). */         \
    static smk_status ce_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,                   \
                               const int64_t *labels, int64_t ignore, const T *target, size_t ldq, \
                               T eps, T t, smk_reduction red, T *loss, T *dx, size_t lddx) {       \
        if (rows == 0) return SMK_OK;                                                              \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!SMK_SHAPE_OK(ldx, T) || (dx && !SMK_SHAPE_OK(lddx, T)) ||                             \
            (!labels && !SMK_SHAPE_OK(ldq, T)))                                                    \
            return SMK_ERR_SHAPE;                                                                  \
        if (!loss || (cols > 0 && !x) || (!target && !labels)) return SMK_ERR_NULL;                \
                                                                                               \
        if (!(eps >= 0 && eps <= 1)) return SMK_ERR_DOMAIN; /* also NaN */                        \
        if (red != SMK_REDUCE_NONE && red != SMK_REDUCE_MEAN && red != SMK_REDUCE_SUM)             \
            return SMK_ERR_DOMAIN;                                                                 \
        if (labels)                                                                                \
            for (size_t r = 0; r < rows; ++r)                                                      \
                if (labels[r] != ignore && (labels[r] < 0 || (uint64_t)labels[r] >= cols))         \
                    return SMK_ERR_DOMAIN;                                                         \
        SMK_EMPTY_ROWS(T, x, ldx);                                                                 \
        if (target) SMK_EMPTY_ROWS(T, target, ldq);                                                \
        smk_active_kernels()->cross_entropy_##SUF(x, rows, cols, ldx, labels, ignore, target, ldq, \
                                                  eps, t, (int)red, loss, dx, lddx);               \
        return SMK_OK;                                                                             \
    }                                                                                              \
                                                                                                   \
    smk_status smk_cross_entropy_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,           \
                                       const int64_t *labels, int64_t ignore, T smoothing, T t,    \
                                       smk_reduction reduction, T *loss, T *dx, size_t lddx) {     \
        return ce_##SUF(x, rows, cols, ldx, labels, ignore, NULL, cols, smoothing, t, reduction,   \
                        loss, dx, lddx);                                                           \
    }                                                                                              \
                                                                                                   \
    smk_status smk_cross_entropy_soft_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,      \
                                            const T *target, size_t ldq, T smoothing, T t,         \
                                            smk_reduction reduction, T *loss, T *dx, size_t lddx) { \
        static const T empty = 0; /* a non-null stand-in when cols == 0 */                         \
        return ce_##SUF(x, rows, cols, ldx, NULL, 0, target ? target : cols == 0 ? &empty : NULL,  \
                        ldq, smoothing, t, reduction, loss, dx, lddx);                             \
    }                                                                                              \
                                                                                                   \
    smk_status smk_lse_state_##SUF(const T *x, size_t rows, size_t cols, size_t ldx, T t, T *m,    \
                                   T *s) {                                                         \
        if (rows == 0) return SMK_OK;                                                              \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!SMK_SHAPE_OK(ldx, T)) return SMK_ERR_SHAPE;                                           \
        if (!m || !s || (cols > 0 && !x)) return SMK_ERR_NULL;                                     \
        SMK_EMPTY_ROWS(T, x, ldx);                                                                 \
        smk_active_kernels()->lse_state_##SUF(x, rows, cols, ldx, t, m, s);                        \
        return SMK_OK;                                                                             \
    }                                                                                              \
                                                                                                   \
    smk_status smk_lse_merge_##SUF(const T *m1, const T *s1, const T *m2, const T *s2, size_t n,   \
                                   T t, T *m, T *s) {                                              \
        if (n == 0) return SMK_OK;                                                                 \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!smk_extent_ok(1, n, n, sizeof(T))) return SMK_ERR_SHAPE;                              \
        if (!m1 || !s1 || !m2 || !s2 || !m || !s) return SMK_ERR_NULL;                             \
        smk_active_kernels()->lse_merge_##SUF(m1, s1, m2, s2, n, t, m, s);                         \
        return SMK_OK;                                                                             \
    }                                                                                              \
                                                                                                   \
    smk_status smk_lse_finalize_##SUF(const T *m, const T *s, size_t n, T t, T *out) {             \
        if (n == 0) return SMK_OK;                                                                 \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!smk_extent_ok(1, n, n, sizeof(T))) return SMK_ERR_SHAPE;                              \
        if (!m || !s || !out) return SMK_ERR_NULL;                                                 \
        smk_active_kernels()->lse_finalize_##SUF(m, s, n, t, out);                                 \
        return SMK_OK;                                                                             \
    }

/* The masked forward ops: checks of api.c plus the mask's shape and the lengths' range. */
static smk_status masked_checks(size_t rows, size_t cols, const int64_t *lengths, const uint8_t *mask, size_t ldm) {
    if (mask && !smk_extent_ok(rows, cols, ldm, 1)) return SMK_ERR_SHAPE;
    if (lengths)
        for (size_t r = 0; r < rows; ++r)
            if (lengths[r] < 0 || (uint64_t)lengths[r] > cols) return SMK_ERR_DOMAIN;
    return SMK_OK;
}

#define SMK_DEFINE_MASKED_REDUCE(op, OP, T, SUF)                                                   \
    smk_status smk_masked_##op##_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,           \
                                       const int64_t *lengths, const uint8_t *mask, size_t ldm,    \
                                       T t, T *out) {                                              \
        if (rows == 0) return SMK_OK;                                                              \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!SMK_SHAPE_OK(ldx, T)) return SMK_ERR_SHAPE;                                           \
        if (!out || (cols > 0 && !x)) return SMK_ERR_NULL;                                         \
        smk_status st = masked_checks(rows, cols, lengths, mask, ldm);                             \
        if (st != SMK_OK) return st;                                                               \
        SMK_EMPTY_ROWS(T, x, ldx);                                                                 \
        smk_active_kernels()->masked_rowop_##SUF(OP, x, rows, cols, ldx, lengths, mask, ldm, t,    \
                                                 out, 1);                                          \
        return SMK_OK;                                                                             \
    }

#define SMK_DEFINE_MASKED_MAP(op, OP, T, SUF)                                                      \
    smk_status smk_masked_##op##_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,           \
                                       const int64_t *lengths, const uint8_t *mask, size_t ldm,    \
                                       T t, T *y, size_t ldy) {                                    \
        if (rows == 0) return SMK_OK;                                                              \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!SMK_SHAPE_OK(ldx, T) || !SMK_SHAPE_OK(ldy, T)) return SMK_ERR_SHAPE;                  \
        if (!y || (cols > 0 && !x)) return SMK_ERR_NULL;                                           \
        smk_status st = masked_checks(rows, cols, lengths, mask, ldm);                             \
        if (st != SMK_OK) return st;                                                               \
        SMK_EMPTY_ROWS(T, x, ldx);                                                                 \
        smk_active_kernels()->masked_rowop_##SUF(OP, x, rows, cols, ldx, lengths, mask, ldm, t,    \
                                                 y, ldy);                                          \
        return SMK_OK;                                                                             \
    }

#define SMK_DEFINE_WEIGHTED(T, SUF)                                                                \
    smk_status smk_logsumexp_weighted_##SUF(const T *x, size_t rows, size_t cols, size_t ldx,      \
                                            const T *b, size_t ldb, T t, T *out, T *sign) {        \
        if (rows == 0) return SMK_OK;                                                              \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (!SMK_SHAPE_OK(ldx, T) || !SMK_SHAPE_OK(ldb, T)) return SMK_ERR_SHAPE;                  \
        if (!out || (cols > 0 && (!x || !b))) return SMK_ERR_NULL;                                 \
        SMK_EMPTY_ROWS(T, x, ldx);                                                                 \
        SMK_EMPTY_ROWS(T, b, ldb);                                                                 \
        smk_active_kernels()->logsumexp_weighted_##SUF(x, rows, cols, ldx, b, ldb, t, out, sign);  \
        return SMK_OK;                                                                             \
    }

/* Column-wise ops: rows == 0 is a valid batch of empty columns (reductions write). */
#define SMK_DEFINE_COL(op, OP, MAP, T, SUF)                                                        \
    smk_status smk_col_##op##_##SUF(const T *x, size_t rows, size_t cols, size_t ldx, T t,         \
                                    T *y SMK_COL_LDY_##MAP) {                                      \
        if (cols == 0 || (MAP && rows == 0)) return SMK_OK;                                        \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                            \
        if (rows > 0 && (!SMK_SHAPE_OK(ldx, T) || (MAP && !SMK_SHAPE_OK(SMK_COL_LDY_ARG_##MAP, T)))) \
            return SMK_ERR_SHAPE;                                                                  \
        if (!y || (rows > 0 && !x)) return SMK_ERR_NULL;                                           \
        smk_active_kernels()->col_rowop_##SUF(OP, x, rows, cols, ldx, t, y, SMK_COL_LDY_ARG_##MAP); \
        return SMK_OK;                                                                             \
    }
#define SMK_COL_LDY_0
#define SMK_COL_LDY_1 , size_t ldy
#define SMK_COL_LDY_ARG_0 1
#define SMK_COL_LDY_ARG_1 ldy

#define SMK_DEFINE_COLS(T, SUF)                                                                    \
    SMK_DEFINE_COL(logsumexp, SMK_OP_LOGSUMEXP, 0, T, SUF)                                         \
    SMK_DEFINE_COL(softargmax, SMK_OP_SOFTARGMAX, 0, T, SUF)                                       \
    SMK_DEFINE_COL(softmax, SMK_OP_SOFTMAX, 1, T, SUF)                                             \
    SMK_DEFINE_COL(log_softmax, SMK_OP_LOG_SOFTMAX, 1, T, SUF)

SMK_DEFINE_COLS(float, f32)
SMK_DEFINE_COLS(double, f64)

SMK_DEFINE_WEIGHTED(float, f32)
SMK_DEFINE_WEIGHTED(double, f64)

#define SMK_DEFINE_MASKED(T, SUF)                                                                  \
    SMK_DEFINE_MASKED_REDUCE(logsumexp, SMK_OP_LOGSUMEXP, T, SUF)                                  \
    SMK_DEFINE_MASKED_REDUCE(softargmax, SMK_OP_SOFTARGMAX, T, SUF)                                \
    SMK_DEFINE_MASKED_MAP(softmax, SMK_OP_SOFTMAX, T, SUF)                                         \
    SMK_DEFINE_MASKED_MAP(log_softmax, SMK_OP_LOG_SOFTMAX, T, SUF)

SMK_DEFINE_MASKED(float, f32)
SMK_DEFINE_MASKED(double, f64)

SMK_DEFINE_TRAIN(float, f32)
SMK_DEFINE_TRAIN(double, f64)
