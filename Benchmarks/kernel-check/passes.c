/* passes — issue 4's "pick algorithms by measurement": 2-pass vs online 1-pass logsumexp, and
 * 3-pass vs 2-pass softmax, by row size. A standalone experiment, not part of the package
 * build. It instantiates the AVX2 kernels in this translation unit (kernels/instantiate.h), so
 * the library's own pieces (exp2dw on a double-word argument, add2 blocks, scan, lse_online)
 * build every form, and only the pass structure differs.
 *   logsumexp  2-pass  scan (max, min, NaN), then Σ 2^t        (the library, rows < 32 KiB)
 *              1-pass  online: per block, per lane, a running power-of-two reference
 *                                                              (the library, rows ≥ 32 KiB)
 *   softmax    3-pass  scan; y = 2^t stored and Σ; y ·= 1/Σ                  (the library)
 *              2-pass  the online Σ; then y = 2^t·(1/Σ) recomputed from x
 *                      (Dukhan & Ablavatski, "The Two-Pass Softmax Algorithm", 2020)
 * Ordinary rows (uniform in [−10, 10], τ = 1). Prints G elements per thread CPU-second (best
 * of 11) and the max error in u of each variant against a long double reference on random,
 * ascending (one rescale per block: the online form's worst case) and descending rows.
 *
 * build: clang -O2 -I CKernels/include -I CKernels Benchmarks/kernel-check/passes.c -lm -o /tmp/passes
 * run:   /tmp/passes            (needs AVX2 + FMA; about 15 s)
 */
#include "simd/avx2.h"
#include "kernels/instantiate.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#pragma clang attribute push(__attribute__((target(SMK_ISA_TARGET))), apply_to = function)
#include "kernels/types_f32.h"
#include "passes.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f64.h"
#include "passes.inc"
#include "kernels/types_undef.h"
#pragma clang attribute pop

typedef long double LD;

#define HARNESS_SEED 0x5eed
#include "harness.h"

enum { REPS = 11 };

/* Per dtype: the four variants as calls, their timing and their error on one row. */
#define DEFINE_PASSES(T, SUF, U, PMIN)                                                                 \
    static void run_##SUF(int variant, const tctx_##SUF##_avx2 *tc, const T *x, size_t rows, size_t cols, \
                          T *y, T *o) {                                                                \
        switch (variant) {                                                                             \
        case 0: lse_2pass_##SUF##_avx2(tc, x, rows, cols, 1, o); break;                                \
        case 1: lse_1pass_##SUF##_avx2(tc, x, rows, cols, 1, o); break;                                \
        case 2: softmax_rows_##SUF##_avx2(tc, x, rows, cols, cols, 1, y, cols); break;                 \
        default: softmax_2pass_##SUF##_avx2(tc, x, rows, cols, y); break;                              \
        }                                                                                              \
    }                                                                                                  \
    static void perf_##SUF(size_t rows, size_t cols) {                                                 \
        const tctx_##SUF##_avx2 tc = make_tctx_##SUF##_avx2(1);                                          \
        T *x = malloc(sizeof(T) * rows * cols), *y = malloc(sizeof(T) * rows * cols);                  \
        T *o = malloc(sizeof(T) * rows);                                                               \
        for (size_t i = 0; i < rows * cols; ++i) x[i] = (T)(uniform() * 20 - 10);                      \
        double g[4];                                                                                   \
        for (int v = 0; v < 4; ++v) {                                                                  \
            double best = 1e300;                                                                       \
            for (int k = 0; k < REPS; ++k) {                                                           \
                double t0 = now();                                                                     \
                run_##SUF(v, &tc, x, rows, cols, y, o);                                                \
                double t = now() - t0;                                                                 \
                best = t < best ? t : best;                                                            \
            }                                                                                          \
            g[v] = rows * cols / best / 1e9;                                                           \
        }                                                                                              \
        printf("| %s | %zux%zu | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", #SUF, rows, cols, g[0],  \
               g[1], g[1] / g[0], g[2], g[3], g[3] / g[2]);                                            \
        free(x); free(y); free(o);                                                                     \
    }                                                                                                  \
    /* max error in u of each variant on one row (SPEC §1's measures) */                               \
    static void err_##SUF(const char *what, const double *xs, size_t n) {                              \
        const tctx_##SUF##_avx2 tc = make_tctx_##SUF##_avx2(1);                                          \
        T *x = malloc(sizeof(T) * n), *y = malloc(sizeof(T) * n), o;                                   \
        for (size_t i = 0; i < n; ++i) x[i] = (T)xs[i];                                                \
        LD m = -INFINITY, s = 0, c = 0;                                                                \
        for (size_t i = 0; i < n; ++i) m = x[i] > m ? x[i] : m;                                        \
        for (size_t i = 0; i < n; ++i) { /* Kahan */                                                   \
            LD t = expl((LD)x[i] - m) - c, u = s + t;                                                  \
            c = (u - s) - t;                                                                           \
            s = u;                                                                                     \
        }                                                                                              \
        const LD L = m + logl(s);                                                                      \
        double e[4];                                                                                   \
        for (int v = 0; v < 4; ++v) {                                                                  \
            run_##SUF(v, &tc, x, 1, n, y, &o);                                                         \
            if (v < 2) {                                                                               \
                e[v] = (double)(fabsl((LD)o - L) / (fabsl(L) > 1 ? fabsl(L) : 1) / U);                 \
                continue;                                                                              \
            }                                                                                          \
            e[v] = 0;                                                                                  \
            for (size_t i = 0; i < n; ++i) {                                                           \
                LD p = expl((LD)x[i] - m) / s;                                                         \
                double d = (double)(fabsl((LD)y[i] - p) / (p > PMIN ? p : PMIN) / U);                  \
                e[v] = d > e[v] ? d : e[v];                                                            \
            }                                                                                          \
        }                                                                                              \
        printf("| %s | %s | %.2f | %.2f | %.2f | %.2f |\n", #SUF, what, e[0], e[1], e[2], e[3]);       \
        free(x); free(y);                                                                              \
    }
DEFINE_PASSES(float, f32, 0x1p-24L, 0x1p-100L)
DEFINE_PASSES(double, f64, 0x1p-53L, 0x1p-1000L)

int main(void) {
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
        fprintf(stderr, "passes: needs AVX2 and FMA\n");
        return 1;
    }
    /* Rows in L1 (128 … 8192 floats), at L2's size (2^17 floats = 512 KiB), in L3 (8 MiB),
     * past L3 (64 MiB). */
    static const size_t shapes[][2] = {{16384, 128}, {8192, 256}, {4096, 512}, {4096, 1000},
                                       {2048, 2048}, {1024, 8192}, {64, 1 << 17}, {8, 1 << 21},
                                       {2, 1 << 24}};
    printf("G elements per CPU-second, best of %d, AVX2, 1 thread\n\n", REPS);
    printf("| dtype | shape | lse 2-pass | lse 1-pass | 1/2 | softmax 3-pass | softmax 2-pass | 2/3 |\n");
    printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; ++k) {
        perf_f32(shapes[k][0], shapes[k][1]);
        perf_f64(shapes[k][0] , shapes[k][1] / 2); /* the same bytes */
    }
    printf("\nmax error in u (logsumexp: |Δ|/max(|L|, 1); softmax: |Δ|/p)\n\n");
    printf("| dtype | row | lse 2-pass | lse 1-pass | softmax 3-pass | softmax 2-pass |\n");
    printf("|---|---|---:|---:|---:|---:|\n");
    enum { N = 1000000 };
    double *xs = malloc(sizeof(double) * N);
    for (int kind = 0; kind < 4; ++kind) {
        const char *what = kind == 0 ? "random n=1000" : kind == 1 ? "random n=10^6"
                         : kind == 2 ? "ascending n=10^6" : "descending n=10^6";
        size_t n = kind == 0 ? 1000 : N;
        for (size_t i = 0; i < n; ++i)
            xs[i] = kind < 2 ? uniform() * 20 - 10 : kind == 2 ? -10 + 20.0 * i / n : 10 - 20.0 * i / n;
        err_f32(what, xs, n);
        err_f64(what, xs, n);
    }
    free(xs);
    return 0;
}
