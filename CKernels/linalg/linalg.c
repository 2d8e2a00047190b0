/* linalg.c — SmoothKit ops on OpenBLAS/LAPACKE (smoothkit_linalg.h): shared helpers, then the
 * op bodies (expectation_body.h, eigmax_body.h, spatial_body.h) instantiated once per element type. */
#include <cblas.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "internal.h"

#define LA_CAT_(a, b) a##b
#define LA_CAT(a, b) LA_CAT_(a, b)
/* LA_FN(softmax_expectation) → smk_softmax_expectation_f32 in the float instantiation. */
#define LA_FN(name) LA_CAT(LA_CAT(smk_, name), LA_CAT(_, LSUF))
/* LA_K(softmax) → the active row kernel softmax_f32 (dispatch.c's table). */
#define LA_K(name) (smk_active_kernels()->LA_CAT(LA_CAT(name, _), LSUF))

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

/* float */
#define LT float
#define LSUF f32
#define LA_GEMM cblas_sgemm
#define LA_SYRK cblas_ssyrk
#define LA_SYEVD LAPACKE_ssyevd_work
#define LA_SQRT sqrtf
#define LA_FABS fabsf
#include "linalg/expectation_body.h"
#include "linalg/eigmax_body.h"
#include "linalg/spatial_body.h"
#undef LT
#undef LSUF
#undef LA_GEMM
#undef LA_SYRK
#undef LA_SYEVD
#undef LA_SQRT
#undef LA_FABS

/* double */
#define LT double
#define LSUF f64
#define LA_GEMM cblas_dgemm
#define LA_SYRK cblas_dsyrk
#define LA_SYEVD LAPACKE_dsyevd_work
#define LA_SQRT sqrt
#define LA_FABS fabs
#include "linalg/expectation_body.h"
#include "linalg/eigmax_body.h"
#include "linalg/spatial_body.h"
