/* Max ulp error of SmoothKit's two exponentials (CKernels/kernels/rowops.inc): the fast exp
 * (fexp) that the row ops use, and exp2dw on a double-word argument, which the rows the fast
 * exp does not serve and the training/catalog kernels use. Linked with the library; reaches
 * both on the ISA path named by argv[1] through the test-only entries of CKernels/testing.h.
 *   fexp: e(x) = 2^(x·c − M) for row contexts (τ, m) from the fast path's range (M = 0 to
 *     near FEXP_M_MAX, τ from 10^-3 to 10^3), x random in [xcut, m], denser near m, with and
 *     without the clamp; reference exp2l(x·(c_hi + c_lo) − M) (long double, 2^-11 double ulp).
 *     Entries at or below xcut and −∞ must give exactly 0.
 *   exp2dw: every float th in [EXP2_CUTOFF, 0], tl = 0 (argv[1] sets a stride; reference glibc
 *     exp2 in double), random tl ≠ 0 (exp2l(th + tl)); f64 a random sample against exp2l.
 * Errors are |result − exact| / ulp(exact), the subnormal spacing below the normal range.
 * Special values are checked exactly. Build and run: scripts/test-exp-ulp
 * (usage: exp_ulp avx512|avx2|portable [STRIDE [F64_SAMPLES]]). Exit status 1 when an error
 * exceeds the thresholds below. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include "testing.h"

/* The ISA paths; max_ulp: exp2dw's fail threshold, the measured maximum (stated in
 * smoothkit.h) plus margin. */
static const struct { const char *name; smk_isa isa; double max_ulp; } isas[] = {
    {"avx512", SMK_ISA_AVX512, 1.5},
    {"avx2", SMK_ISA_AVX2, 1.5},       /* measured 1.07 (f32), 1.02 (f64) with FMA Horner */
    {"portable", SMK_ISA_PORTABLE, 2.0}, /* measured 1.33 (f32), 1.23 (f64): no FMA, each Horner
                                            step rounds twice */
};
/* The fast exp's bound, with FMA and without (rowops.inc fexp). */
#define FEXP_MAX_ULP 2.1 /* rowops.inc fexp's bound; measured 0.99 (f32, 16 entries), 1.63 (f32, 8 entries),
                            1.58 (f64, subnormal results) with FMA; 1.50 / 1.47 portable */
static smk_isa isa;       /* the path under test (argv[1]) */
static double isa_max_ulp;
#define F32_MAX_ULP isa_max_ulp
#define F64_MAX_ULP isa_max_ulp
#define CHUNK 4096
/* Arrays handed to the probes are padded to a multiple of every path's lane count. */
#define PAD 16
/* types_f32.h / types_f64.h EXP2_CUTOFF. */
#define EXP2_CUTOFF_F32 (-150.0f)
#define EXP2_CUTOFF_F64 (-1075.0)

static void batch32(const float *th, const float *tl, float *out, size_t n) {
    smk_test_exp2dw_f32(isa, th, tl, out, n);
}
static void batch64(const double *th, const double *tl, double *out, size_t n) {
    smk_test_exp2dw_f64(isa, th, tl, out, n);
}
static int fbatch32(const float *x, float *out, size_t n, float tau, float m, float mn, int clamp, float *M,
                    float *xcut, float *c) {
    return smk_test_fexp_f32(isa, x, out, n, tau, m, mn, clamp, M, xcut, c);
}
static int fbatch64(const double *x, double *out, size_t n, double tau, double m, double mn, int clamp, double *M,
                    double *xcut, double *c) {
    return smk_test_fexp_f64(isa, x, out, n, tau, m, mn, clamp, M, xcut, c);
}
static struct { const char *name; void (*f32)(const float *, const float *, float *, size_t);
                void (*f64)(const double *, const double *, double *, size_t);
                int (*fe32)(const float *, float *, size_t, float, float, float, int, float *, float *, float *);
                int (*fe64)(const double *, double *, size_t, double, double, double, int, double *, double *,
                            double *); } paths[] = {{"", batch32, batch64, fbatch32, fbatch64}};
static int path_ok(int k) { (void)k; return smk_isa_supported(isa); }

/* ulp of the exact value y ≥ 0 in a format with `prec` significand bits and smallest
 * subnormal 2^`emin`. */
static long double ulp_of(long double y, int prec, int emin) {
    int e = emin + prec; /* below the normal range: the subnormal spacing */
    if (y > 0) { frexpl(y, &e); }
    return ldexpl(1.0L, (e - prec) < emin ? emin : (e - prec));
}

typedef struct { double err, th, tl; } worst;
static void note(worst *w, long double got, long double exact, int prec, int emin, double th, double tl) {
    double e = (double)(fabsl(got - exact) / ulp_of(exact, prec, emin));
    if (e > w->err) { w->err = e; w->th = th; w->tl = tl; }
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double unif(void) { return (double)(next() >> 11) * 0x1p-53; }

/* The same for a float result against an exact value held in double (the every-float sweep):
 * the float ulp from the double's exponent field, no long double on the hot path. */
static void note32(worst *w, float got, double exact, float th) {
    uint64_t b; memcpy(&b, &exact, 8);
    int e = (int)((b >> 52) & 0x7ff) - 1023;  /* exact = 1.x · 2^e, exact > 0 here */
    double ulp = ldexp(1.0, e - 23 < -149 ? -149 : e - 23);
    double err = fabs((double)got - exact) / ulp;
    if (err > w->err) { w->err = err; w->th = th; w->tl = 0; }
}

/* x·(c_hi + c_lo) − M, the fast exp's argument, in long double without losing x·c_hi's low
 * bits: float products are exact in double; a double product is split exactly by an FMA, and
 * its high part minus M is exact in long double (|p|, |M| < 2^22: 64 bits hold it). */
static long double fexp_arg32(float x, const float *c, float M) {
    return ((long double)((double)x * c[0]) - M) + (long double)((double)x * c[1]);
}
static long double fexp_arg64(double x, const double *c, double M) {
    const double p = x * c[0], e = fma(x, c[0], -p);
    return (((long double)p - M) + e) + (long double)x * c[1];
}

static int failures = 0;
static void check(int cond, const char *what) {
    if (!cond) { printf("FAIL special value: %s\n", what); failures++; }
}

int main(int argc, char **argv) {
    /* argv[1]: the ISA path; argv[2]: f32 stride over the float bit patterns (1 = every
     * float); argv[3]: f64 samples. */
    size_t which = 0;
    while (which < sizeof isas / sizeof isas[0] && (argc < 2 || strcmp(argv[1], isas[which].name) != 0)) ++which;
    if (which == sizeof isas / sizeof isas[0]) {
        fprintf(stderr, "usage: exp_ulp avx512|avx2|portable [STRIDE [F64_SAMPLES]]\n");
        return 2;
    }
    isa = isas[which].isa, isa_max_ulp = isas[which].max_ulp, paths[0].name = isas[which].name;
    unsigned portable_stride = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
    long f64_samples = argc > 3 ? atol(argv[3]) : 20000000;
    static float th32[CHUNK], tl32[CHUNK], r32[2][CHUNK];
    static double th64[CHUNK], tl64[CHUNK], r64[2][CHUNK];
    const uint32_t lo = 0x80000000u; /* −0 */
    float cut32 = EXP2_CUTOFF_F32;
    uint32_t hi; memcpy(&hi, &cut32, 4); /* bits of −150: the most negative th swept */
    int np = 0; int idx[2];
    if (path_ok(0)) idx[np++] = 0;
    else printf("%s: not supported by this CPU, skipped\n", paths[0].name);

    /* ---- fexp: row contexts (τ, m) of the fast path, x in [xcut, m], with and without clamp ---- */
    static const double taus[] = {1.0, 0.1, 7.3, 1e-3, 1e3, 0.37};
    static const double ms[] = {0.0, 3.7, -1234.5, 88.25, 0x1p-20, -60.0};
    for (int j = 0; j < np; ++j) {
        int k = idx[j];
        worst w32 = {0}, w64 = {0};
        int zeros_bad = 0, contexts = 0;
        for (size_t a = 0; a < sizeof taus / sizeof taus[0]; ++a)
            for (size_t b = 0; b < sizeof ms / sizeof ms[0]; ++b)
                for (int clamp = 0; clamp <= 1; ++clamp) {
                    float M32, xc32, c32[2]; double M64, xc64, c64[2];
                    const float tau32 = (float)taus[a], m32 = (float)(ms[b] / taus[a] > 5e4 ? 5e4 * taus[a] : ms[b]);
                    const double tau64 = taus[a], m64 = ms[b];
                    /* probe the contexts: xcut first (fast_ctx with mn = m) */
                    paths[k].fe32(th32, r32[0], 0, tau32, m32, m32, clamp, &M32, &xc32, c32);
                    paths[k].fe64(th64, r64[0], 0, tau64, m64, m64, clamp, &M64, &xc64, c64);
                    /* without the clamp every entry must stay above the normal range's edge */
                    const double span32 = clamp ? (double)m32 - xc32 : 120.0 / (double)c32[0];
                    const double span64 = clamp ? m64 - xc64 : 1000.0 / c64[0];
                    for (int rep = 0; rep < 64; ++rep) {
                        for (size_t i = 0; i < CHUNK; ++i) {
                            double u = unif(), v = i % 3 == 0 ? u * u * u : u; /* denser near m */
                            th32[i] = (float)(m32 - v * span32);
                            th64[i] = m64 - v * span64;
                            if (clamp && i % 97 == 0) { th32[i] = -INFINITY; th64[i] = -INFINITY; }
                            if (clamp && i % 89 == 0) { th32[i] = xc32; th64[i] = xc64; }
                        }
                        const float mn32 = clamp ? -INFINITY : m32 - (float)span32;
                        const double mn64 = clamp ? -INFINITY : m64 - span64;
                        int md32 = paths[k].fe32(th32, r32[0], CHUNK, tau32, m32, mn32, clamp, &M32, &xc32, c32);
                        int md64 = paths[k].fe64(th64, r64[0], CHUNK, tau64, m64, mn64, clamp, &M64, &xc64, c64);
                        if (rep == 0) contexts += (md32 != 0) + (md64 != 0);
                        for (size_t i = 0; i < CHUNK; ++i) {
                            if (md32) {
                                if (th32[i] <= xc32) zeros_bad += r32[0][i] != 0 || signbit(r32[0][i]);
                                else note(&w32, r32[0][i], exp2l(fexp_arg32(th32[i], c32, M32)), 24, -149,
                                          th32[i], m32);
                            }
                            if (md64) {
                                if (th64[i] <= xc64) zeros_bad += r64[0][i] != 0 || signbit(r64[0][i]);
                                else note(&w64, r64[0][i], exp2l(fexp_arg64(th64[i], c64, M64)), 53, -1074,
                                          th64[i], m64);
                            }
                        }
                    }
                }
        printf("fexp %-8s %d row contexts x %d entries: f32 max %.4f ulp (x=%a m=%g), f64 max %.4f ulp "
               "(x=%a m=%g); entries at or below the clamp point not exactly +0: %d\n",
               paths[k].name, contexts, 64 * CHUNK, w32.err, w32.th, w32.tl, w64.err, w64.th, w64.tl, zeros_bad);
        if (w32.err > FEXP_MAX_ULP || w64.err > FEXP_MAX_ULP || zeros_bad || contexts < 40) failures++;
    }
    /* ---- f32, every float th in [cutoff, 0], tl = 0 ---- */
    for (int j = 0; j < np; ++j) {
        int k = idx[j];
        unsigned stride = portable_stride;
        worst w = {0};
        uint64_t count = 0;
        clock_t t0 = clock();
        memset(tl32, 0, sizeof tl32);
        for (uint64_t b = lo; b <= hi;) {
            size_t n = 0;
            for (; n < CHUNK && b <= hi; ++n, b += stride) { uint32_t u = (uint32_t)b; memcpy(&th32[n], &u, 4); }
            size_t nv = n; while (nv % PAD) th32[nv++] = 0; /* pad to whole vectors */
            paths[k].f32(th32, tl32, r32[0], nv);
            for (size_t i = 0; i < n; ++i) note32(&w, r32[0][i], exp2((double)th32[i]), th32[i]);
            count += n;
        }
        printf("f32 %-8s tl=0  %llu floats (stride %u) in [%g, 0]: max %.4f ulp at th=%a  (%.1f s)\n",
               paths[k].name, (unsigned long long)count, stride, (double)cut32, w.err, w.th,
               (double)(clock() - t0) / CLOCKS_PER_SEC);
        if (w.err > F32_MAX_ULP) failures++;
    }
    /* ---- f32, random th with tl ≠ 0, |tl| ≤ 2^−20·max(1, |th|) ---- */
    for (int j = 0; j < np; ++j) {
        int k = idx[j];
        worst w = {0};
        for (int rep = 0; rep < 1000; ++rep) {
            for (size_t i = 0; i < CHUNK; ++i) {
                float th = (float)(-unif() * (i % 4 == 0 ? 1.0 : 150.0));
                float tl = (float)((2 * unif() - 1) * 0x1p-20 * fmax(1.0, fabs(th)));
                if ((long double)th + tl < -150.0L || th + tl > 0) tl = 0;
                th32[i] = th; tl32[i] = tl;
            }
            paths[k].f32(th32, tl32, r32[0], CHUNK);
            for (size_t i = 0; i < CHUNK; ++i)
                note(&w, r32[0][i], exp2l((long double)th32[i] + tl32[i]), 24, -149, th32[i], tl32[i]);
        }
        printf("f32 %-8s tl!=0 %d random: max %.4f ulp at th=%a tl=%a\n", paths[k].name, 1000 * CHUNK,
               w.err, w.th, w.tl);
        if (w.err > F32_MAX_ULP) failures++;
    }
    /* ---- f64: uniform on [−1075, 0], plus denser near 0 and near the cutoff; some tl ≠ 0 ---- */
    for (int j = 0; j < np; ++j) {
        int k = idx[j];
        worst w = {0};
        clock_t t0 = clock();
        for (long done = 0; done < f64_samples; done += CHUNK) {
            for (size_t i = 0; i < CHUNK; ++i) {
                double u = unif(), th;
                switch (i % 4) {
                case 0: th = -u * 1075.0; break;
                case 1: th = -u; break;                        /* near 0 */
                case 2: th = EXP2_CUTOFF_F64 + u * 52.0; break; /* subnormal results, near the cutoff */
                default: th = -ldexp(u, -(int)(next() % 60)); break; /* tiny |th| */
                }
                double tl = (i % 8 == 3) ? (2 * unif() - 1) * 0x1p-50 * fmax(1.0, fabs(th)) : 0;
                if ((long double)th + tl < EXP2_CUTOFF_F64 || (long double)th + tl > 0) tl = 0;
                th64[i] = th; tl64[i] = tl;
            }
            paths[k].f64(th64, tl64, r64[0], CHUNK);
            for (size_t i = 0; i < CHUNK; ++i)
                note(&w, r64[0][i], exp2l((long double)th64[i] + tl64[i]), 53, -1074, th64[i], tl64[i]);
        }
        printf("f64 %-8s %ld random in [%g, 0]: max %.4f ulp at th=%a tl=%a  (%.1f s)\n", paths[k].name,
               f64_samples, EXP2_CUTOFF_F64, w.err, w.th, w.tl, (double)(clock() - t0) / CLOCKS_PER_SEC);
        if (w.err > F64_MAX_ULP) failures++;
    }
    /* ---- special values (exact) ---- */
    for (int j = 0; j < np; ++j) {
        int k = idx[j];
        float in32[8] = { -INFINITY, 0.0f, -0.0f, nextafterf(cut32, -INFINITY), -1e30f, NAN, cut32, -1.0f };
        float z32[8] = {0};
        paths[k].f32(in32, z32, r32[0], 8);
        check(r32[0][0] == 0 && !signbit(r32[0][0]), "f32 exp2(-inf) = +0");
        check(r32[0][1] == 1 && r32[0][2] == 1, "f32 exp2(0) = 1");
        check(r32[0][3] == 0 && r32[0][4] == 0, "f32 below cutoff = 0");
        check(r32[0][7] == 0.5f, "f32 exp2(-1) = 0.5");
        double in64[8] = { -INFINITY, 0.0, -0.0, nextafter(EXP2_CUTOFF_F64, -INFINITY), -1e300, NAN,
                           EXP2_CUTOFF_F64, -1.0 };
        double z64[8] = {0};
        paths[k].f64(in64, z64, r64[0], 8);
        check(r64[0][0] == 0 && !signbit(r64[0][0]), "f64 exp2(-inf) = +0");
        check(r64[0][1] == 1 && r64[0][2] == 1, "f64 exp2(0) = 1");
        check(r64[0][3] == 0 && r64[0][4] == 0, "f64 below cutoff = 0");
        check(r64[0][7] == 0.5, "f64 exp2(-1) = 0.5");
        /* NaN: the comparison th < cut is false, so NaN flows through the arithmetic and the
         * result is NaN (never reached in the library: the row scan routes NaN rows). */
        printf("special %-8s f32: -inf->%g 0->%g below-cut->%g NaN->%g cut->%a | f64: -inf->%g 0->%g "
               "below-cut->%g NaN->%g cut->%a\n", paths[k].name, r32[0][0], r32[0][1], r32[0][3], r32[0][5],
               r32[0][6], r64[0][0], r64[0][1], r64[0][3], r64[0][5], r64[0][6]);
        check(isnan(r32[0][5]) && isnan(r64[0][5]), "NaN propagates");
    }
    printf(failures ? "exp_ulp: FAILED (%d)\n" : "exp_ulp: ok\n", failures);
    return failures != 0;
}
