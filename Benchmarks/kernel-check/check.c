/* kernel-check — a standalone accuracy and speed check of the C row kernels, for kernel work
 * (the Swift test suite is the real gate). Against a long double reference (64-bit
 * significand: 2^-40 u for float, 2^-11 u for double), on every ISA path this CPU runs,
 * it prints the max error of each op and dtype in u, in SPEC §1's measure, over random rows
 * (n = 1 … 10^6), tiny and huge τ, ±3e38, −∞ masks and a tie tail; and checks the edge rows
 * of SPEC §1 inside blocks of tiny rows. With --perf it times each op instead (1 thread, best
 * of 15 in thread CPU time, which a shared machine disturbs least).
 *
 * build: linked with the library, through its public header only (smk_force_isa picks the path):
 *        scripts/install-clib /tmp/smk && clang -O2 -I CKernels/include Benchmarks/kernel-check/check.c \
 *          -L/tmp/smk/lib -Wl,-rpath,/tmp/smk/lib -lsmoothkit -lm -o /tmp/kernel-check
 * run:   /tmp/kernel-check [--perf] [--big]     (--big adds n = 10^6 rows)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "smoothkit.h"

typedef long double LD;
enum { OP_LSE, OP_SM, OP_LSM, OP_SAM, OP_COUNT };
static const char *op_name[] = {"logsumexp", "softmax", "log_softmax", "softargmax"};

/* ---- random numbers, clock ---- */
#define HARNESS_SEED 0x1234567
#include "harness.h"
static double normal(void) {
    double a = uniform() + 1e-300, b = uniform();
    return sqrt(-2 * log(a)) * cos(2 * M_PI * b);
}

/* ---- reference: per row, in long double, with Kahan sums ---- */
typedef struct {
    LD m, s, is; /* max, Σ e, Σ i·e with e = exp((x − m)/τ) */
} rowref;

static rowref ref_row(const LD *x, size_t n, LD tau) {
    rowref r = {-INFINITY, 0, 0};
    for (size_t i = 0; i < n; ++i) r.m = x[i] > r.m ? x[i] : r.m;
    LD c = 0, ci = 0;
    for (size_t i = 0; i < n; ++i) {
        LD e = expl((x[i] - r.m) / tau);
        LD y = e - c, t = r.s + y;
        c = (t - r.s) - y;
        r.s = t;
        LD yi = (LD)i * e - ci, ti = r.is + yi;
        ci = (ti - r.is) - yi;
        r.is = ti;
    }
    return r;
}

/* ---- error tallies ---- */
static double worst[2][OP_COUNT];
static char worst_case[2][OP_COUNT][96];

static void tally(int dt, int op, double err_u, const char *what) {
    if (err_u > worst[dt][op] || isnan(err_u)) {
        worst[dt][op] = isnan(err_u) ? INFINITY : err_u;
        snprintf(worst_case[dt][op], sizeof worst_case[dt][op], "%s", what);
    }
}

/* One case: rows × n from gen, τ; checks all four ops in the dtype of the instantiation. */
#define DEFINE_CHECK(T, SUF, DT, U, PMIN, TMAX)                                                        \
    static void check_##SUF(const double *xs, size_t rows, size_t n, size_t ld, double taud,            \
                            const char *what) {                                                        \
        T tau = (T)taud;                                                                               \
        T *x = malloc(sizeof(T) * (rows * ld + 1));                                                    \
        T *y = malloc(sizeof(T) * (rows * ld + 1));                                                    \
        T *o = malloc(sizeof(T) * (rows + 1));                                                         \
        LD *xl = malloc(sizeof(LD) * (n + 1));                                                         \
        for (size_t r = 0; r < rows; ++r)                                                              \
            for (size_t i = 0; i < ld; ++i) x[r * ld + i] = i < n ? (T)xs[r * n + i] : (T)12345;       \
        for (size_t i = 0; i < rows * ld; ++i) y[i] = (T)12345;                                        \
        for (int op = 0; op < OP_COUNT; ++op) {                                                        \
            smk_status st;                                                                             \
            switch (op) {                                                                              \
            case OP_LSE: st = smk_logsumexp_##SUF(x, rows, n, ld, tau, o); break;                      \
            case OP_SM: st = smk_softmax_##SUF(x, rows, n, ld, tau, y, ld); break;                     \
            case OP_LSM: st = smk_log_softmax_##SUF(x, rows, n, ld, tau, y, ld); break;                \
            default: st = smk_softargmax_##SUF(x, rows, n, ld, tau, o); break;                         \
            }                                                                                          \
            if (st != SMK_OK) { tally(DT, op, INFINITY, "status"); continue; }                         \
            for (size_t r = 0; r < rows; ++r) {                                                        \
                for (size_t i = 0; i < n; ++i) xl[i] = x[r * ld + i];                                  \
                rowref rf = ref_row(xl, n, (LD)tau);                                                   \
                if (!isfinite(rf.m)) continue; /* edge rows: edge_rows() checks them */               \
                double e = 0;                                                                          \
                if (op == OP_LSE) {                                                                    \
                    LD L = rf.m + (LD)tau * logl(rf.s);                                                \
                    if (fabsl(L) > TMAX) continue;                                                     \
                    LD scale = fabsl(L) > (LD)tau ? fabsl(L) : (LD)tau;                                \
                    e = (double)(fabsl((LD)o[r] - L) / scale / U);                                     \
                } else if (op == OP_SAM) {                                                             \
                    e = (double)(fabsl((LD)o[r] - rf.is / rf.s) / (LD)n / U);                          \
                } else {                                                                               \
                    for (size_t i = 0; i < n; ++i) {                                                   \
                        LD got = y[r * ld + i], d;                                                     \
                        if (op == OP_SM) {                                                             \
                            LD p = expl((xl[i] - rf.m) / (LD)tau) / rf.s;                              \
                            d = fabsl(got - p) / (p > PMIN ? p : PMIN) / U;                            \
                        } else {                                                                       \
                            LD lp = (xl[i] - rf.m) / (LD)tau - logl(rf.s);                             \
                            if (fabsl(lp) > TMAX) continue; /* true value not representable */        \
                            if (isinf(lp) && got == lp) continue;                                      \
                            d = fabsl(got - lp) / (fabsl(lp) > 1 ? fabsl(lp) : 1) / U;                 \
                        }                                                                              \
                        if (d > e || isnan((double)d)) e = isnan((double)d) ? INFINITY : (double)d;   \
                    }                                                                                  \
                    /* pad untouched */                                                                \
                    for (size_t i = n; i < ld; ++i)                                                    \
                        if (y[r * ld + i] != (T)12345) e = INFINITY;                                   \
                }                                                                                      \
                tally(DT, op, e, what);                                                                \
            }                                                                                          \
        }                                                                                              \
        free(x); free(y); free(o); free(xl);                                                           \
    }
DEFINE_CHECK(float, f32, 0, 0x1p-24L, 0x1p-100L, 3.4028234663852886e38L)
DEFINE_CHECK(double, f64, 1, 0x1p-53L, 0x1p-1000L, 1.7976931348623157e308L)

static void check_both(const double *xs, size_t rows, size_t n, size_t ld, double tau, double tau64,
                       const char *what) {
    check_f32(xs, rows, n, ld, tau, what);
    check_f64(xs, rows, n, ld, tau64, what);
}

/* Edge rows inside blocks of tiny rows: each must follow SPEC §1 and leave neighbours alone. */
static int edge_rows(void) {
    enum { R = 37, N = 5 };
    float x[R * N], y[R * N], o[R];
    int bad = 0;
    for (int r = 0; r < R; ++r)
        for (int i = 0; i < N; ++i) x[r * N + i] = (float)(i - r % 3);
    x[3 * N + 2] = NAN;                                    /* NaN row */
    x[9 * N + 1] = INFINITY; x[9 * N + 4] = INFINITY;        /* two +∞: indices 1, 4 */
    for (int i = 0; i < N; ++i) x[17 * N + i] = -INFINITY;  /* fully masked */
    x[20 * N + 0] = -INFINITY;                               /* partly masked */
    x[30 * N + 0] = 3e38f; x[30 * N + 1] = -3e38f;           /* huge */
    smk_logsumexp_f32(x, R, N, N, 1, o);
    bad |= !isnan(o[3]) || o[9] != INFINITY || o[17] != -INFINITY || !isfinite(o[20]) || !isfinite(o[30]);
    bad |= !isfinite(o[2]) || !isfinite(o[4]) || !isfinite(o[16]) || !isfinite(o[18]);
    smk_softargmax_f32(x, R, N, N, 1, o);
    bad |= !isnan(o[3]) || o[9] != 2.5f || !isnan(o[17]) || !isfinite(o[20]) || !isfinite(o[30]);
    smk_softmax_f32(x, R, N, N, 1, y, N);
    bad |= !isnan(y[3 * N]) || y[9 * N + 1] != 0.5f || y[9 * N] != 0 || y[17 * N] != 0 || y[20 * N] != 0;
    bad |= !isfinite(y[2 * N]) || !isfinite(y[4 * N]) || y[30 * N] != 1 || y[30 * N + 1] != 0;
    smk_log_softmax_f32(x, R, N, N, 1, y, N);
    bad |= !isnan(y[3 * N]) || fabsf(y[9 * N + 1] + logf(2)) > 1e-6f || y[9 * N] != -INFINITY;
    bad |= y[17 * N] != -INFINITY || y[20 * N] != -INFINITY || !isfinite(y[2 * N]);
    return bad;
}

static void accuracy(int big) {
    static const size_t ns[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 33, 64, 100, 128, 1000, 4097, 100000};
    size_t maxn = big ? 1000000 : 100000;
    double *xs = malloc(sizeof(double) * (maxn + 8192 * 17 + 64));
    char what[96];
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; ++k) {
        size_t n = ns[k], rows = n <= 17 ? 517 : n <= 4097 ? 9 : 1;
        for (int dist = 0; dist < 3; ++dist) {
            for (size_t i = 0; i < rows * n; ++i)
                xs[i] = dist == 0 ? uniform() * 20 - 10 : dist == 1 ? 5 * normal() : 30 * normal();
            snprintf(what, sizeof what, "n=%zu dist=%d", n, dist);
            check_both(xs, rows, n, n, 1, 1, what);
            check_both(xs, rows, n, n + 3, 0.37, 0.37, what);
        }
        /* temperatures: scale the row by τ so the result is not trivial, and unscaled */
        static const double taus32[] = {1e-3, 1e3, 1e-30, 1e30, 3e38, 1e-40};
        static const double taus64[] = {1e-3, 1e3, 1e-300, 1e300, 1e308, 1e-310};
        for (int t = 0; t < 6; ++t) {
            for (size_t i = 0; i < rows * n; ++i) xs[i] = normal();
            snprintf(what, sizeof what, "n=%zu tau#%d unscaled", n, t);
            check_both(xs, rows, n, n, taus32[t], taus64[t], what);
        }
        for (int t = 0; t < 4; ++t) {
            double s = (double[]){1e-3, 1e3, 1e-30, 1e30}[t];
            for (size_t i = 0; i < rows * n; ++i) xs[i] = 3 * normal() * s;
            snprintf(what, sizeof what, "n=%zu tau=x-scale %g", n, s);
            check_both(xs, rows, n, n, s, s, what);
        }
        /* huge values and masks */
        for (size_t i = 0; i < rows * n; ++i) {
            double u = uniform();
            xs[i] = u < 0.25 ? 3e38 * (uniform() * 2 - 1) : u < 0.5 ? -INFINITY : 5 * normal();
        }
        snprintf(what, sizeof what, "n=%zu huge+masks", n);
        check_both(xs, rows, n, n, 1, 1, what);
        check_both(xs, rows, n, n, 1e38, 1e38, what);
    }
    /* tie tail: one 0.3 and a long run of equal small terms */
    size_t tail = big ? 1000000 : 100000;
    xs[0] = 0.3;
    for (size_t i = 1; i < tail; ++i) xs[i] = -13.8;
    check_both(xs, 1, tail, tail, 1, 1, "tie tail");
    for (size_t i = 0; i < maxn; ++i) xs[i] = normal();
    snprintf(what, sizeof what, "n=%zu normal", maxn);
    check_both(xs, 1, maxn, maxn, 1, 1, what);
    for (size_t i = 0; i < maxn; ++i) xs[i] = 5 * normal();
    check_both(xs, 1, maxn, maxn, 1, 1, what);
    free(xs);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define DEFINE_PERF(T, SUF)                                                                            \
    static void perf_##SUF(size_t rows, size_t cols) {                                                 \
        T *x = malloc(sizeof(T) * rows * cols), *y = malloc(sizeof(T) * rows * cols), *o = malloc(sizeof(T) * rows); \
        for (size_t i = 0; i < rows * cols; ++i) x[i] = (T)(uniform() * 20 - 10);                      \
        printf("  %s %7zux%-5zu", #SUF, rows, cols);                                                   \
        for (int op = 0; op < OP_COUNT; ++op) {                                                        \
            double t[15];                                                                               \
            for (int k = 0; k < 15; ++k) {                                                              \
                double t0 = now();                                                                     \
                switch (op) {                                                                          \
                case OP_LSE: smk_logsumexp_##SUF(x, rows, cols, cols, 1, o); break;                    \
                case OP_SM: smk_softmax_##SUF(x, rows, cols, cols, 1, y, cols); break;                 \
                case OP_LSM: smk_log_softmax_##SUF(x, rows, cols, cols, 1, y, cols); break;            \
                default: smk_softargmax_##SUF(x, rows, cols, cols, 1, o); break;                       \
                }                                                                                      \
                t[k] = now() - t0;                                                                     \
            }                                                                                          \
            qsort(t, 15, sizeof t[0], cmp);                                                             \
            printf("  %s %6.3f", op_name[op], rows * cols / t[0] / 1e9); /* fastest of 15 */                               \
        }                                                                                              \
        printf("  Gelem/s\n");                                                                         \
        free(x); free(y); free(o);                                                                     \
    }
DEFINE_PERF(float, f32)
DEFINE_PERF(double, f64)

int main(int argc, char **argv) {
    int perf = 0, big = 0;
    for (int i = 1; i < argc; ++i) {
        perf |= !strcmp(argv[i], "--perf");
        big |= !strcmp(argv[i], "--big");
    }
    static const smk_isa isas[] = {SMK_ISA_PORTABLE, SMK_ISA_AVX2, SMK_ISA_AVX512, SMK_ISA_NEON};
    int failed = 0;
    if (perf) { /* the best path only */
        smk_force_isa(SMK_ISA_AUTO);
        printf("== %s\n", smk_isa_name());
        static const size_t shapes[][2] = {{4096, 1000}, {16384, 128}, {1024, 8192}, {262144, 16}, {1048576, 4}};
        for (int s = 0; s < 5; ++s) {
            perf_f32(shapes[s][0], shapes[s][1]);
            perf_f64(shapes[s][0], shapes[s][1]);
        }
        return 0;
    }
    for (int k = 0; k < 4; ++k) {
        if (smk_force_isa(isas[k]) != SMK_OK) continue;
        printf("== %s\n", smk_isa_name());
        memset(worst, 0, sizeof worst);
        accuracy(big);
        int edge = edge_rows();
        failed |= edge;
        printf("  edge rows in tiny blocks: %s\n", edge ? "FAIL" : "ok");
        for (int dt = 0; dt < 2; ++dt)
            for (int op = 0; op < OP_COUNT; ++op) {
                int ok = worst[dt][op] <= 8;
                failed |= !ok;
                printf("  %-11s %s  max %6.2f u  %s  (worst: %s)\n", op_name[op], dt ? "f64" : "f32",
                       worst[dt][op], ok ? "ok" : "OVER 8u", worst_case[dt][op]);
            }
    }
    return failed;
}
