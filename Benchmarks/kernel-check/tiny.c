/* tiny — A/B of the tiny-row path's data movement (rowops.inc tiny_load/tiny_store): rows of
 * ≤ 16 entries read and written one element at a time (SMK_TINY_TRANSPOSE 0) or by vector
 * loads/stores and an in-register transpose of LANES-row tiles, packed for the last n mod
 * LANES columns (1). A standalone experiment, not
 * part of the package build: it instantiates rowops.inc twice in this translation unit, once
 * per setting, on the ISA of ISA_HEADER (default AVX2).
 *   1. both forms must agree bit for bit: every op, n = 0 … 17, row counts that are not
 *      multiples of LANES, ld > n, in place, edge rows (NaN, ±∞) inside groups;
 *   2. G elements per thread CPU-second of each op, the two forms timed interleaved, best of
 *      REPS (the machine is shared: CPU time of this thread, and A and B side by side).
 *
 * build: clang -O2 -I CKernels/include -I CKernels Benchmarks/kernel-check/tiny.c -lm -o /tmp/tiny
 *        (-DISA_HEADER='"simd/portable.h"' for the portable path; -DISA_HEADER='"wide.h"'
 *        -Wno-psabi for AVX-512's lane counts on AVX2, check only: see wide.h)
 * run:   /tmp/tiny [--quick]      (about 40 s; --quick: one shape per dtype)
 *        /tmp/tiny --log          (the f64 tiny rows' double-word log Σ against logl)
 */
#ifndef ISA_HEADER
#define ISA_HEADER "simd/avx2.h"
#endif
#include ISA_HEADER
#include "kernels/instantiate.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef SMK_ISA_TARGET
#pragma clang attribute push(__attribute__((target(SMK_ISA_TARGET))), apply_to = function)
#endif
#undef SMK_TINY_TRANSPOSE
#define SMK_TINY_TRANSPOSE 0
#undef SMK_ISA
#define SMK_ISA gather
#include "kernels/types_f32.h"
#include "kernels/rowops.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "kernels/rowops.inc"
#include "kernels/types_undef.h"
#undef SMK_TINY_TRANSPOSE
#define SMK_TINY_TRANSPOSE 1
#undef SMK_ISA
#define SMK_ISA transpose
#include "kernels/types_f32.h"
#include "kernels/rowops.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "kernels/rowops.inc"
#include "kernels/types_undef.h"
#ifdef SMK_ISA_TARGET
#pragma clang attribute pop
#endif

#define HARNESS_SEED 0x7e57
#include "harness.h"

enum { REPS = 9 };
static const char *op_name[] = {"logsumexp", "softmax", "log_softmax", "softargmax"};

/* Per dtype: op v of form f (0 gather, 1 transpose) as one call; the bit-for-bit check; the
 * timing. */
#define DEFINE_TINY(T, SUF)                                                                            \
    static void run_##SUF(int f, int op, const T *x, size_t rows, size_t n, size_t ldx, T *y, size_t ldy) { \
        switch (op * 2 + f) {                                                                          \
        case 0: logsumexp_##SUF##_gather(x, rows, n, ldx, 1, y); break;                                \
        case 1: logsumexp_##SUF##_transpose(x, rows, n, ldx, 1, y); break;                             \
        case 2: softmax_##SUF##_gather(x, rows, n, ldx, 1, y, ldy); break;                             \
        case 3: softmax_##SUF##_transpose(x, rows, n, ldx, 1, y, ldy); break;                          \
        case 4: log_softmax_##SUF##_gather(x, rows, n, ldx, 1, y, ldy); break;                         \
        case 5: log_softmax_##SUF##_transpose(x, rows, n, ldx, 1, y, ldy); break;                      \
        case 6: softargmax_##SUF##_gather(x, rows, n, ldx, 1, y); break;                               \
        default: softargmax_##SUF##_transpose(x, rows, n, ldx, 1, y); break;                           \
        }                                                                                              \
    }                                                                                                  \
    /* Outputs of both forms, out of place (ldy = ld + 2, guard-filled) and in place; the     \
     * input ends exactly at its allocation, so an over-read shows under ASan. */                 \
    static int check_##SUF(size_t rows, size_t n, size_t ld, int edges) {                             \
        const size_t len = rows ? (rows - 1) * ld + n : 0, ldy = ld + 2, ylen = rows * ldy;             \
        T *x = malloc(sizeof(T) * (len ? len : 1)), *y[2], *z[2];                                            \
        for (size_t i = 0; i < len; ++i) x[i] = (T)(uniform() * 20 - 10);                              \
        if (edges && n > 0)                                                                           \
            for (size_t r = 1; r < rows; r += 3) {                                                     \
                static const T e[] = {NAN, INFINITY, -INFINITY, 3e38f};                                \
                x[r * ld + (r * 7) % n] = e[r % 4];                                                    \
                if (r % 5 == 0)                                                                        \
                    for (size_t j = 0; j < n; ++j) x[r * ld + j] = -(T)INFINITY;                       \
            }                                                                                          \
        int bad = 0;                                                                                   \
        for (int op = 0; op < 4; ++op) {                                                               \
            const int map = op == 1 || op == 2;                                                        \
            for (int f = 0; f < 2; ++f) {                                                              \
                y[f] = malloc(sizeof(T) * (ylen + 1));                                                 \
                for (size_t i = 0; i < ylen; ++i) y[f][i] = (T)-7;                                     \
                run_##SUF(f, op, x, rows, n, ld, y[f], ldy);                                           \
                z[f] = malloc(sizeof(T) * (len ? len : 1));                                                \
                memcpy(z[f], x, sizeof(T) * len);                                                      \
                if (map) run_##SUF(f, op, z[f], rows, n, ld, z[f], ld);                                \
            }                                                                                          \
            bad |= memcmp(y[0], y[1], sizeof(T) * ylen) != 0;                                          \
            bad |= map && memcmp(z[0], z[1], sizeof(T) * len) != 0;                                    \
            if (bad) {                                                                                 \
                printf("  %s %s rows=%zu n=%zu ld=%zu edges=%d: the forms differ\n", #SUF, op_name[op], \
                       rows, n, ld, edges);                                                            \
                break;                                                                                 \
            }                                                                                          \
            for (int f = 0; f < 2; ++f) free(y[f]), free(z[f]);                                        \
        }                                                                                              \
        free(x);                                                                                       \
        return bad;                                                                                    \
    }                                                                                                  \
    static void perf_##SUF(size_t rows, size_t n) {                                                    \
        T *x = malloc(sizeof(T) * rows * n), *y = malloc(sizeof(T) * rows * n);                        \
        for (size_t i = 0; i < rows * n; ++i) x[i] = (T)(uniform() * 20 - 10);                         \
        for (int op = 0; op < 4; ++op) {                                                               \
            double best[2] = {1e300, 1e300};                                                           \
            for (int k = 0; k < REPS; ++k)                                                             \
                for (int f = 0; f < 2; ++f) {                                                          \
                    double t0 = now();                                                                 \
                    run_##SUF(f, op, x, rows, n, n, y, n);                                             \
                    double t = now() - t0;                                                             \
                    best[f] = t < best[f] ? t : best[f];                                               \
                }                                                                                      \
            printf("| %s | %zux%zu | %-11s | %.3f | %.3f | %.2f |\n", #SUF, rows, n, op_name[op],        \
                   rows * n / best[0] / 1e9, rows * n / best[1] / 1e9, best[0] / best[1]);             \
        }                                                                                              \
        free(x), free(y);                                                                              \
    }

DEFINE_TINY(float, f32)
DEFINE_TINY(double, f64)

/* --log: the f64 tiny rows' log Σ (rowops.inc log_dwv) against long double on Σ = hi + lo,
 * hi uniform in [1, 16], just above 1 and on the binade edges, |lo| ≤ ulp(hi)/2: the max
 * absolute error in u = 2^−53 (what SPEC's bounds see: τ·log Σ in logsumexp, log Σ in
 * log_softmax), and relative to log Σ for Σ ≥ 1 + 2^−10 (below, z_l is as large as z_h and
 * its one rounding is up to ½u of log Σ's tiny value: absolute 2^−106). */
#ifdef SMK_ISA_TARGET
__attribute__((target(SMK_ISA_TARGET)))
#endif
static int check_log(void) {
    typedef long double LD;
    double worst_rel = 0, worst_abs = 0, at = 0;
    for (long i = 0; i < 4000000; ++i) {
        vt_f64_transpose hi, lo, lh, ll;
        for (int k = 0; k < SMK_F64_LANES; ++k) {
            double h = i < 64 ? ldexp(1 + (i & 7) * 0x1p-52, (int)(i >> 3) % 5) /* 2^e and neighbours */
                              : 1 + 15 * uniform();
            if (i >= 64 && i % 3 == 0) h = 1 + 0x1p-40 * uniform(); /* Σ just above 1 */
            hi[k] = h;
            lo[k] = i % 5 == 0 ? 0 : (uniform() - 0.5) * ldexp(1, ilogb(h) - 52);
            if (h == 1 && lo[k] < 0) lo[k] = -lo[k];
        }
        log_dwv_f64_transpose(hi, lo, &lh, &ll);
        for (int k = 0; k < SMK_F64_LANES; ++k) {
            /* near 1, log1p of (hi − 1) + lo (hi − 1 exact): hi + lo itself would lose lo's bits */
            LD ref = hi[k] < 2 ? log1pl((LD)(hi[k] - 1) + (LD)lo[k]) : logl((LD)hi[k] + (LD)lo[k]), err = fabsl(((LD)lh[k] + (LD)ll[k]) - ref);
            double rel = ref == 0 ? (err == 0 ? 0 : INFINITY) : (double)(err / fabsl(ref) * 0x1p53L);
            double abs_ = (double)(err * 0x1p53L);
            if (hi[k] >= 1 + 0x1p-10 && rel > worst_rel) worst_rel = rel, at = hi[k];
            worst_abs = abs_ > worst_abs ? abs_ : worst_abs;
        }
    }
    printf("log_dwv f64: max error %.4f u absolute; %.4f u of log Σ for Σ ≥ 1 + 2^-10 (at Σ ≈ %.17g)\n",
           worst_abs, worst_rel, at);
    return !(worst_abs < 0.05 && worst_rel < 0.05);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--log") == 0) return check_log();
    const int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int bad = 0;
    for (size_t n = 0; n <= 17; ++n)
        for (size_t rows = 1; rows <= 37; rows += 3)
            for (size_t pad = 0; pad <= 3; pad += 3)
                for (int edges = 0; edges < 2; ++edges) {
                    bad |= check_f32(rows, n, n + pad, edges);
                    bad |= check_f64(rows, n, n + pad, edges);
                }
    printf("%s: gather and transpose %s\n", ISA_HEADER, bad ? "DIFFER" : "agree bit for bit");
    printf("| dtype | shape | op | gather G/s | transpose G/s | speedup |\n|---|---|---|---|---|---|\n");
    perf_f32(262144, 16);
    perf_f64(262144, 16);
    if (!quick) {
        perf_f32(524288, 8);
        perf_f32(1048576, 4);
        perf_f64(524288, 8);
        perf_f64(1048576, 4);
    }
    return bad;
}
