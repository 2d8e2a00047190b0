/* api.c — the C entry points: argument checks (SPEC §1), then the active kernel table.
 * Nothing is written unless every check passes. */
#include <math.h>
#include <stdint.h>
#include "internal.h"
#include "checks.h"

int smk_version(void) { return SMK_VERSION; }

const char *smk_status_string(smk_status s) {
    switch (s) {
    case SMK_OK: return "ok";
    case SMK_ERR_NULL: return "null pointer where data is required";
    case SMK_ERR_SHAPE: return "bad shape: leading dimension below cols, or extent past PTRDIFF_MAX";
    case SMK_ERR_TEMPERATURE: return "temperature must be finite and > 0";
    case SMK_ERR_DOMAIN: return "input outside the function's domain";
    /* linalg (smoothkit_linalg.h) */
    case SMK_ERR_COMPUTE: return "computation failed: LAPACK did not converge, or out of memory";
    }
    return "unknown status";
}

/* Reductions to one value per row: x (rows × cols, ldx) → out[rows]. Empty rows (cols == 0,
 * where x may be NULL) are answered here without touching x: `empty` is the op's value of an
 * empty row (SPEC §1: logsumexp −∞, soft-argmax NaN). */
#define SMK_DEFINE_REDUCE(op, T, SUF, empty)                                               \
    smk_status smk_##op##_##SUF(const T *x, size_t rows, size_t cols, size_t ldx, T t,     \
                                T *out) {                                                  \
        if (rows == 0) return SMK_OK;                                                      \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                    \
        if (!smk_extent_ok(rows, cols, ldx, sizeof(T))) return SMK_ERR_SHAPE;              \
        if (!out || (cols > 0 && !x)) return SMK_ERR_NULL;                                 \
        if (cols == 0) {                                                                   \
            for (size_t r = 0; r < rows; ++r) out[r] = (T)(empty);                         \
            return SMK_OK;                                                                 \
        }                                                                                  \
        smk_active_kernels()->op##_##SUF(x, rows, cols, ldx, t, out);                      \
        return SMK_OK;                                                                     \
    }

/* Row maps: x (rows × cols, ldx) → y (rows × cols, ldy); y == x with ldy == ldx is allowed.
 * Kernels only ever see cols ≥ 1 and non-null pointers. */
#define SMK_DEFINE_MAP(op, T, SUF)                                                         \
    smk_status smk_##op##_##SUF(const T *x, size_t rows, size_t cols, size_t ldx, T t,     \
                                T *y, size_t ldy) {                                        \
        if (rows == 0) return SMK_OK;                                                      \
        if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;                    \
        if (!smk_extent_ok(rows, cols, ldx, sizeof(T)) ||                                  \
            !smk_extent_ok(rows, cols, ldy, sizeof(T)))                                    \
            return SMK_ERR_SHAPE;                                                          \
        if (!y || (cols > 0 && !x)) return SMK_ERR_NULL;                                   \
        if (cols == 0) return SMK_OK; /* empty rows: nothing to write */                   \
        smk_active_kernels()->op##_##SUF(x, rows, cols, ldx, t, y, ldy);                   \
        return SMK_OK;                                                                     \
    }

SMK_DEFINE_REDUCE(logsumexp, float, f32, -INFINITY)
SMK_DEFINE_REDUCE(softargmax, float, f32, NAN)
SMK_DEFINE_MAP(softmax, float, f32)
SMK_DEFINE_MAP(log_softmax, float, f32)
SMK_DEFINE_REDUCE(logsumexp, double, f64, -INFINITY)
SMK_DEFINE_REDUCE(softargmax, double, f64, NAN)
SMK_DEFINE_MAP(softmax, double, f64)
SMK_DEFINE_MAP(log_softmax, double, f64)
