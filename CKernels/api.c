/* api.c — the C entry points of the core row ops (smoothkit.h): the checks of api.inc, written
 * once and instantiated per element type, then the active kernel table. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include "internal.h"
#include "checks.h"
#include "instance.h"

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

#include "kernels/types_f32.h"
#include "api.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "api.inc"
/* The exported entry points, one per element type. */

smk_status smk_logsumexp_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return reduce_f32(smk_active_kernels()->logsumexp_f32, -INFINITY, x, rows, cols, ldx, t, out);
}

smk_status smk_logsumexp_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out) {
    return reduce_f64(smk_active_kernels()->logsumexp_f64, -INFINITY, x, rows, cols, ldx, t, out);
}

smk_status smk_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy) {
    return map_f32(smk_active_kernels()->softmax_f32, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy) {
    return map_f64(smk_active_kernels()->softmax_f64, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_log_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy) {
    return map_f32(smk_active_kernels()->log_softmax_f32, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_log_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy) {
    return map_f64(smk_active_kernels()->log_softmax_f64, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_softargmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return reduce_f32(smk_active_kernels()->softargmax_f32, NAN, x, rows, cols, ldx, t, out);
}

smk_status smk_softargmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out) {
    return reduce_f64(smk_active_kernels()->softargmax_f64, NAN, x, rows, cols, ldx, t, out);
}
