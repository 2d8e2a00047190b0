/*
 * smoothkit.h — the C ABI of SmoothKit: batched, row-wise smooth maximum kernels.
 *
 * The contract for every value, edge case and accuracy bound is SPEC.md §1; this header
 * restates what a C caller needs. All entry points are reentrant and thread-safe, run on
 * the calling thread only, and never allocate.
 *
 * Matrices are row-major: element (r, c) of x is x[r * ldx + c], with ldx >= cols.
 * t is the temperature τ > 0 (τ → 0 recovers the hard function).
 *
 *   op            per row x (n = cols, m = max x)
 *   logsumexp     out[r] = m + τ·log Σ exp((x_i − m)/τ)
 *   softmax       y_i   = exp((x_i − m)/τ) / Σ_j exp((x_j − m)/τ)
 *   log_softmax   y_i   = (x_i − m)/τ − log Σ_j exp((x_j − m)/τ)
 *   softargmax    out[r] = Σ_i i·y_i   (zero-based index, fused in one pass)
 *
 * Edge cases, row by row (a row never affects its neighbours):
 *   any NaN             → NaN / all NaN / all NaN / NaN
 *   k entries +∞        → +∞ / 1/k on them, 0 elsewhere / −log k there, −∞ elsewhere /
 *                         mean index of the +∞ entries
 *   all −∞ (masked)     → −∞ / all 0 / all −∞ / NaN
 *   cols == 0           → −∞ / nothing written / nothing written / NaN
 *   huge finite values  → no overflow and no NaN (±3e38 in float is fine)
 *
 * Accuracy against a higher-precision reference (u = 2^-24 float, 2^-53 double), for any
 * n up to 10^6 (sums are blocked and compensated, never one long serial sum):
 *   logsumexp   |err| ≤ 8u·max(|L|, τ)
 *   softmax     relative ≤ 8u for p ≥ 2^-100 (f32) / 2^-1000 (f64), absolute below that
 *   log_softmax |err| ≤ 8u·max(1, |log p|)
 *   softargmax  |err| ≤ 8u·n
 * A result that is itself subnormal (e.g. logsumexp with a subnormal τ and tiny inputs) also
 * carries the rounding to the subnormal grid, up to 2^-150 (f32) / 2^-1075 (f64) absolute: no
 * representable value is closer. A true result beyond the largest finite value is ±∞.
 * The exponential is SmoothKit's own, in two forms. The row ops use a fast exp for rows with
 * |m·c| ≤ 2^17 (float) / 2^46 (double), c = log2(e)/τ, and a temperature whose c is within
 * [2^-60, 2^60]: e_i = 2^(x_i·c − M) with the integer reference M = rint(m·c), the argument
 * formed exactly inside one FMA (no TwoSum), a 2^(j/16) table (2^(j/8) for float on AVX2; none
 * on the portable and NEON paths) and a short minimax polynomial; the factor 2^(M − m·c) cancels
 * in softmax and soft-argmax, and logsumexp and log_softmax divide Σ by the max entry's own
 * term, so that a row with one finite entry gets exactly m and 0. Other rows (and the training
 * and catalog kernels) use exp2 on a double-word argument t_hi + t_lo,
 * t = (x − m)·log2(e)/τ formed with TwoSum and an FMA product, with a degree 6 (float) / 11
 * (double) polynomial. Both flush results below the smallest subnormal to exactly 0 and give
 * −∞ entries exactly 0. Measured by scripts/test-exp-ulp (Tests/ExpUlp/exp_ulp.c) on every
 * path: the fast exp within 1.7 ulp (142 row contexts, subnormal results included), exp2 on a
 * double word within 1.07 ulp with FMA and 1.33 ulp without (every float t in [−150, 0] on the
 * best x86 path).
 *
 * Arguments (else a status code and not one element of any output is written):
 *   t finite and > 0                                   else SMK_ERR_TEMPERATURE
 *   ldx >= cols, ldy >= cols, and the byte extent
 *   ((rows − 1)·ld + cols)·sizeof(element) <= PTRDIFF_MAX  else SMK_ERR_SHAPE
 *   out / y non-null when rows > 0, x non-null when rows·cols > 0   else SMK_ERR_NULL
 * rows == 0 is valid and does nothing, whatever the pointers. softmax and log_softmax may
 * run in place (y == x with ldy == ldx); any other overlap of input and output is undefined.
 *
 * Example:
 *   float x[2][3] = {{1, 2, 3}, {0, 0, -INFINITY}}, p[2][3];
 *   if (smk_softmax_f32(&x[0][0], 2, 3, 3, 1.0f, &p[0][0], 3) != SMK_OK) abort();
 *   // p[1] == {0.5, 0.5, 0}
 */
#ifndef SMOOTHKIT_H
#define SMOOTHKIT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SMK_API __attribute__((visibility("default")))
#else
#define SMK_API
#endif

/* ABI version: the major number changes only if a pinned signature ever would (never); the
 * minor number grows with every release that adds entry points; the patch number counts
 * releases that change no signature. The installed library's soname is libsmoothkit.so.MAJOR. */
#define SMK_VERSION_MAJOR 1
#define SMK_VERSION_MINOR 1
#define SMK_VERSION_PATCH 0
/* The version as one integer, MAJOR·10000 + MINOR·100 + PATCH (1.1.0 → 10100). */
#define SMK_VERSION (SMK_VERSION_MAJOR * 10000 + SMK_VERSION_MINOR * 100 + SMK_VERSION_PATCH)

/* Every entry point returns one of these. Values are pinned. */
typedef enum smk_status {
    SMK_OK = 0,
    SMK_ERR_NULL = 1,        /* a required pointer is NULL */
    SMK_ERR_SHAPE = 2,       /* ld < cols, an extent past PTRDIFF_MAX, or mismatched sizes */
    SMK_ERR_TEMPERATURE = 3, /* temperature (or smoothing parameter) not finite and > 0 */
    SMK_ERR_DOMAIN = 4,      /* an input outside the function's domain, or an unknown option */
    /* linalg (smoothkit_linalg.h): added, value pinned from now on */
    SMK_ERR_COMPUTE = 5      /* a computation could not finish: LAPACK failed, or a workspace malloc failed */
} smk_status;

/* A static, human-readable description of a status ("ok", "null pointer", ...). */
SMK_API const char *smk_status_string(smk_status s);

/* The version of the library loaded at run time, as SMK_VERSION encodes it
 * (MAJOR·10000 + MINOR·100 + PATCH). A program built against this header may check
 * smk_version() / 10000 == SMK_VERSION_MAJOR and smk_version() >= SMK_VERSION before it
 * relies on an entry point added in this minor version. Added in 1.1. */
SMK_API int smk_version(void);

/* ---- Forward row kernels (pinned) ---------------------------------------------------- */

SMK_API smk_status smk_logsumexp_f32  (const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out);
SMK_API smk_status smk_softmax_f32    (const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy);
SMK_API smk_status smk_log_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy);
SMK_API smk_status smk_softargmax_f32 (const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out);

SMK_API smk_status smk_logsumexp_f64  (const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out);
SMK_API smk_status smk_softmax_f64    (const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy);
SMK_API smk_status smk_log_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy);
SMK_API smk_status smk_softargmax_f64 (const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out);

/* ---- Instruction-set dispatch ---------------------------------------------------------
 * One kernel table per instruction set, chosen once from the CPU at first use. Forcing a
 * path is for tests and benchmarks; it is process-wide and atomic (calls already running
 * finish on the path they started with). */
typedef enum smk_isa {
    SMK_ISA_AUTO = 0,     /* the best path this CPU supports */
    SMK_ISA_PORTABLE = 1, /* plain C vectors, baseline ISA (SSE2 on x86-64) */
    SMK_ISA_AVX2 = 2,     /* AVX2 + FMA */
    SMK_ISA_AVX512 = 3,   /* AVX-512F */
    SMK_ISA_NEON = 4      /* arm64 Advanced SIMD */
} smk_isa;

/* Name of the path now in use: "portable", "avx2", "avx512" or "neon". */
SMK_API const char *smk_isa_name(void);
/* The path now in use. */
SMK_API smk_isa smk_active_isa(void);
/* 1 if this build and CPU can run `isa`, else 0. SMK_ISA_AUTO is always supported. */
SMK_API int smk_isa_supported(smk_isa isa);
/* Use `isa` from now on (SMK_ISA_AUTO: the best). SMK_ERR_DOMAIN if not supported. */
SMK_API smk_status smk_force_isa(smk_isa isa);

#ifdef __cplusplus
}
#endif

/* ---- The smoothing catalog (SPEC §2): smooth max/min/|x|, mollifiers, smooth floor --- */
#include "smoothkit_catalog.h"
/* ---- linalg: ops on OpenBLAS/LAPACKE (softmax expectation, smooth λ_max) ---- */
#include "smoothkit_linalg.h"
/* ---- Training ops: backward, cross-entropy, LSE state, masks, weighted, columns */
#include "smoothkit_train.h"
/* ---- smooth max / min gradients ---- */
#include "smoothkit_catalog_grad.h"
/* ---- float16 / bfloat16 storage: row ops, backward, cross-entropy ---- */
#include "smoothkit_half.h"

#endif /* SMOOTHKIT_H */
