/* linalg.c — SmoothKit ops on OpenBLAS/LAPACKE (smoothkit_linalg.h): shared helpers, then the
 * op bodies (expectation.inc, eigmax.inc, spatial.inc) instantiated once per element type. */
#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "internal.h"
#include "instance.h"

/* Each part of a workspace starts on a cache line (and so is aligned for any element type). */
enum { LA_ALIGN = 64 };

/* Rows of probabilities held at once by the softmax expectation: at most LA_BLOCK_ROWS (GEMM is
 * efficient from ~64 rows on), fewer for long rows so a block stays ≤ LA_BLOCK_ELEMS elements
 * (8 MiB in double: the L2/L3 range, and bounded for any n). Always ≥ 1 row. */
enum { LA_BLOCK_ROWS = 256 };
#define LA_BLOCK_ELEMS ((size_t)1 << 21)

static size_t la_block_rows(size_t rows, size_t n) {
    size_t b = n > 0 ? LA_BLOCK_ELEMS / n : LA_BLOCK_ROWS;
    if (b > LA_BLOCK_ROWS) b = LA_BLOCK_ROWS;
    if (b > rows) b = rows;
    return b > 0 ? b : 1;
}

/* Appends a part of count·elem bytes to a workspace layout at a 64-byte boundary; returns its
 * offset, or SIZE_MAX (and *total = SIZE_MAX) on overflow. */
static size_t la_part(size_t *total, size_t count, size_t elem) {
    size_t off = *total, bytes, end;
    if (off == SIZE_MAX || __builtin_mul_overflow(count, elem, &bytes) ||
        __builtin_add_overflow(off, (size_t)LA_ALIGN - 1, &off) ||
        __builtin_add_overflow(off & ~(size_t)(LA_ALIGN - 1), bytes, &end)) {
        *total = SIZE_MAX;
        return SIZE_MAX;
    }
    off &= ~(size_t)(LA_ALIGN - 1);
    *total = end;
    return off;
}

/* The caller's workspace if given (big enough and aligned to `align`, else SMK_ERR_SHAPE), or a
 * malloc of `need` bytes in *owned (SMK_ERR_COMPUTE if that fails). need == 0 gives NULL. */
static smk_status la_workspace(void *work, size_t work_bytes, size_t need, size_t align, char **base,
                               void **owned) {
    *owned = NULL;
    *base = NULL;
    if (need == SIZE_MAX) return SMK_ERR_SHAPE;
    if (work) {
        if (work_bytes < need || (uintptr_t)work % align != 0) return SMK_ERR_SHAPE;
        *base = work;
        return SMK_OK;
    }
    if (need == 0) return SMK_OK;
    /* aligned_alloc wants a multiple of the alignment; LA_ALIGN covers every part. */
    size_t rounded = (need + LA_ALIGN - 1) & ~(size_t)(LA_ALIGN - 1);
    if (rounded < need || !(*owned = aligned_alloc(LA_ALIGN, rounded))) return SMK_ERR_COMPUTE;
    *base = *owned;
    return SMK_OK;
}

/* BLAS and LAPACK take 32-bit int sizes. */
static int la_int_ok(size_t v) { return v <= (size_t)INT_MAX; }

/* The workspace of one smooth_eigmax call, as offsets into it (eigmax.inc la_eigmax_layout). */
typedef struct {
    size_t copy, lambda, weights, work, stage_out, stage_grad, iwork; /* byte offsets */
    size_t lwork, liwork;                                             /* SYEVD's lengths */
    size_t total;                                                     /* bytes, SIZE_MAX on overflow */
} la_eigmax_layout;

/* SYEVD's minimal workspace lengths (LAPACK's documentation of ?syevd): with eigenvectors
 * 1 + 6n + 2n² reals and 3 + 5n ints, eigenvalues only 2n + 1 reals and 1 int; 1 and 1 for
 * n ≤ 1. SIZE_MAX when the count overflows. */
static void la_syevd_lengths(size_t n, int vectors, size_t *lwork, size_t *liwork) {
    size_t n2;
    if (n <= 1) {
        *lwork = *liwork = 1;
    } else if (!vectors) {
        *lwork = 2 * n + 1;
        *liwork = 1;
    } else if (__builtin_mul_overflow(n, n, &n2) || __builtin_mul_overflow(n2, 2, &n2) ||
               __builtin_add_overflow(n2, 6 * n + 1, lwork)) {
        *lwork = *liwork = SIZE_MAX;
    } else {
        *liwork = 3 + 5 * n;
    }
}

/* The step between neighbouring pixel coordinates along an axis of `len` pixels: 1 in pixel
 * coordinates; 2/(len − 1) in normalised ones (kornia: x_j = −1 + 2j/(W − 1)); 0 when len == 1,
 * where the single pixel sits at the centre, 0 (kornia's formula is 0/0 there). */
static double la_coord_step(smk_coords coords, size_t len) {
    if (coords == SMK_COORDS_PIXEL) return 1;
    return len > 1 ? 2.0 / (double)(len - 1) : 0;
}
/* The coordinate of the first pixel: 0 (pixel) or −1 (normalised; 0 when len == 1). */
static double la_coord_origin(smk_coords coords, size_t len) {
    return coords == SMK_COORDS_NORMALIZED && len > 1 ? -1 : 0;
}

#include "kernels/types_f32.h"
#include "linalg/expectation.inc"
#include "linalg/eigmax.inc"
#include "linalg/spatial.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "linalg/expectation.inc"
#include "linalg/eigmax.inc"
#include "linalg/spatial.inc"
#include "kernels/types_undef.h"

/* The exported entry points, one per element type. */

size_t smk_softmax_expectation_workspace_f32(size_t rows, size_t n) {
    return softmax_expectation_workspace_f32(rows, n);
}

size_t smk_softmax_expectation_workspace_f64(size_t rows, size_t n) {
    return softmax_expectation_workspace_f64(rows, n);
}

smk_status smk_softmax_expectation_f32(const float *x, size_t rows, size_t n, size_t ldx, float t, const float *v,
                                       size_t d, size_t ldv, float *e, size_t lde, void *work, size_t work_bytes) {
    return softmax_expectation_f32(x, rows, n, ldx, t, v, d, ldv, e, lde, work, work_bytes);
}

smk_status smk_softmax_expectation_f64(const double *x, size_t rows, size_t n, size_t ldx, double t, const double *v,
                                       size_t d, size_t ldv, double *e, size_t lde, void *work, size_t work_bytes) {
    return softmax_expectation_f64(x, rows, n, ldx, t, v, d, ldv, e, lde, work, work_bytes);
}

size_t smk_smooth_eigmax_workspace_f32(size_t batch, size_t n, int with_grad) {
    return smooth_eigmax_workspace_f32(batch, n, with_grad);
}

size_t smk_smooth_eigmax_workspace_f64(size_t batch, size_t n, int with_grad) {
    return smooth_eigmax_workspace_f64(batch, n, with_grad);
}

smk_status smk_smooth_eigmax_f32(const float *a, size_t batch, size_t n, size_t lda, float t, smk_symmetry symmetry,
                                 float tol, float *out, float *grad, size_t ldg, void *work, size_t work_bytes) {
    return smooth_eigmax_f32(a, batch, n, lda, t, symmetry, tol, out, grad, ldg, work, work_bytes);
}

smk_status smk_smooth_eigmax_f64(const double *a, size_t batch, size_t n, size_t lda, double t, smk_symmetry symmetry,
                                 double tol, double *out, double *grad, size_t ldg, void *work, size_t work_bytes) {
    return smooth_eigmax_f64(a, batch, n, lda, t, symmetry, tol, out, grad, ldg, work, work_bytes);
}

size_t smk_spatial_softargmax_workspace_f32(size_t h, size_t w) {
    return spatial_softargmax_workspace_f32(h, w);
}

size_t smk_spatial_softargmax_workspace_f64(size_t h, size_t w) {
    return spatial_softargmax_workspace_f64(h, w);
}

smk_status smk_spatial_softargmax_f32(const float *heat, size_t maps, size_t h, size_t w, size_t ldh, float t,
                                      smk_coords coords, float *xy, void *work, size_t work_bytes) {
    return spatial_softargmax_f32(heat, maps, h, w, ldh, t, coords, xy, work, work_bytes);
}

smk_status smk_spatial_softargmax_f64(const double *heat, size_t maps, size_t h, size_t w, size_t ldh, double t,
                                      smk_coords coords, double *xy, void *work, size_t work_bytes) {
    return spatial_softargmax_f64(heat, maps, h, w, ldh, t, coords, xy, work, work_bytes);
}

smk_status smk_spatial_softargmax_grad_f32(const float *heat, size_t maps, size_t h, size_t w, size_t ldh, float t,
                                           smk_coords coords, const float *gxy, float *dheat, size_t ldd) {
    return spatial_softargmax_grad_f32(heat, maps, h, w, ldh, t, coords, gxy, dheat, ldd);
}

smk_status smk_spatial_softargmax_grad_f64(const double *heat, size_t maps, size_t h, size_t w, size_t ldh, double t,
                                           smk_coords coords, const double *gxy, double *dheat, size_t ldd) {
    return spatial_softargmax_grad_f64(heat, maps, h, w, ldh, t, coords, gxy, dheat, ldd);
}
