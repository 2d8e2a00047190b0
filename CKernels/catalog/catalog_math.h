/* catalog_math.h — the per-element math of the smoothing catalog (SPEC §2), in double.
 * Private to CKernels/catalog. Every formula is the overflow-free form documented in
 * include/smoothkit_catalog.h; the entry points (catalog_entries.inc) only loop and convert. */
#ifndef SMOOTHKIT_CATALOG_MATH_H
#define SMOOTHKIT_CATALOG_MATH_H
#include <math.h>
#include <stddef.h>
#include "smoothkit.h"

#define SMK_SQRT1_2 0.70710678118654752440     /* 1/√2 */
#define SMK_INV_SQRT_2PI 0.39894228040143267794 /* 1/√(2π) */
#define SMK_TWO_OVER_SQRTPI 1.12837916709551257390 /* 2/√π, erf'(0) */
#define SMK_INV_PI 0.31830988618379067154
#define SMK_PI 3.14159265358979323846
#define SMK_LN2 0.69314718055994530942
/* Beyond |t| > 27, e^{−t²} < 2^-1051: the Gaussian factor of erf' is exactly 0 in double; the
 * cut also keeps t·e^{−t²} from becoming ∞·0. */
#define SMK_ERF_TAIL 27.0
/* The target for dropped tail terms in smooth floor: u/4 with u = 2^-53. */
#define SMK_TAIL_EPS 0x1p-55

/* ---- smooth |x| ----------------------------------------------------------------------- */

/* f(x) and f'(x) for one smooth |x| of smk_abs_kind (kind already validated). */
static inline double smk_cat_abs(int kind, double p, double x, double *d) {
    if (x != x) return *d = x; /* NaN in, NaN value and derivative out */
    double ax = fabs(x);
    switch (kind) {
    case SMK_ABS_LOGCOSH: /* |x| + log1p(e^{−2k|x|})/k */
        *d = tanh(p * x);
        return ax + log1p(exp(-2.0 * p * ax)) / p;
    case SMK_ABS_SOURCE6: /* (1/k) ln(2 + 2cosh kx) = (2/k) ln(2cosh(kx/2)) */
        *d = tanh(0.5 * p * x);
        return ax + 2.0 * log1p(exp(-p * ax)) / p;
    case SMK_ABS_SQRT: {
        double h = hypot(x, p);
        *d = isinf(x) ? copysign(1.0, x) : x / h;
        return h;
    }
    case SMK_ABS_ERF: {
        double t = p * x;
        double g = fabs(t) > SMK_ERF_TAIL ? 0.0 : SMK_TWO_OVER_SQRTPI * t * exp(-t * t);
        *d = erf(t) + g;
        return x * erf(t);
    }
    default: { /* SMK_ABS_HUBER; x/μ ≤ 1 inside, so x·(x/μ)/2 never overflows */
        double r = x / p;
        if (ax <= p) {
            *d = r;
            return 0.5 * x * r;
        }
        *d = copysign(1.0, x);
        return ax - 0.5 * p;
    }
    }
}

/* ---- mollifier kernels: φ, Φ, Ψ --------------------------------------------------------- */

/* σ(z) without overflow in either tail. */
static inline double smk_cat_sigmoid(double z) {
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* Φ of a kernel at x (param = σ, a or t). Tails without cancellation. */
static inline double smk_cat_cdf(int kernel, double p, double x) {
    switch (kernel) {
    case SMK_KERNEL_GAUSSIAN: return 0.5 * erfc(-(x / p) * SMK_SQRT1_2);
    case SMK_KERNEL_CAUCHY: return atan2(1.0, -(x / p)) * SMK_INV_PI; /* = ½ + atan(x/a)/π */
    default: return smk_cat_sigmoid(p * x); /* logistic σ(tx) */
    }
}

static inline double smk_cat_pdf(int kernel, double p, double x) {
    double u = x / p;
    switch (kernel) {
    case SMK_KERNEL_GAUSSIAN: return exp(-0.5 * u * u) * SMK_INV_SQRT_2PI / p;
    case SMK_KERNEL_CAUCHY: return SMK_INV_PI / p / (1.0 + u * u);
    default: { /* t·e/(1 + e)² with e = e^{−t|x|} ≤ 1 */
        double e = exp(-fabs(p * x));
        return p * e / ((1.0 + e) * (1.0 + e));
    }
    }
}

/* Ψ(x) = ∫_{−∞}^x Φ; not defined for Cauchy (the caller rejects it). */
static inline double smk_cat_ramp(int kernel, double p, double x) {
    if (kernel == SMK_KERNEL_GAUSSIAN) {
        if (isinf(x)) return x > 0 ? x : 0.0;
        return x * smk_cat_cdf(kernel, p, x) + p * p * smk_cat_pdf(kernel, p, x);
    }
    /* logistic: softplus(tx)/t = max(x, 0) + log1p(e^{−t|x|})/t */
    return fmax(x, 0.0) + log1p(exp(-fabs(p * x))) / p;
}

static inline double smk_cat_part(int kernel, int part, double p, double x) {
    switch (part) {
    case SMK_PART_PDF: return smk_cat_pdf(kernel, p, x);
    case SMK_PART_CDF: return smk_cat_cdf(kernel, p, x);
    default: return smk_cat_ramp(kernel, p, x);
    }
}

/* ---- smooth floor ------------------------------------------------------------------------ */

/* How a smooth floor is summed for one (kernel, param): a window of half-width w around x,
 * or (w < 0) the Fourier series with `harmonics` terms. */
typedef struct {
    double w;
    int harmonics;
} smk_floor_plan;

/* Upper bound of the dropped terms on both sides of a window of half-width w (see header). */
static inline double smk_cat_tail(int kernel, double p, double w) {
    if (kernel == SMK_KERNEL_GAUSSIAN) {
        double z = w / p;
        double phi1 = exp(-0.5 * z * z) * SMK_INV_SQRT_2PI;
        return 2.0 * (0.5 * erfc(z * SMK_SQRT1_2) + p * phi1 / (z * z));
    }
    return 2.0 * exp(-p * w) * (1.0 + 1.0 / p); /* logistic */
}

/* φ̂(2πk): the kernel's characteristic function at the k-th harmonic of the unit period. */
static inline double smk_cat_harmonic(int kernel, double p, int k) {
    if (kernel == SMK_KERNEL_GAUSSIAN) return exp(-2.0 * SMK_PI * SMK_PI * p * p * k * k);
    double a = 2.0 * SMK_PI * SMK_PI * k / p;
    return a > 700 ? 0.0 : a / sinh(a);
}

static inline smk_floor_plan smk_cat_floor_plan(int kernel, double p) {
    smk_floor_plan plan = {0.5, 0};
    /* grow the window by ½ until the tail bound is met or it is too wide */
    while (plan.w <= 0.5 * SMK_QUANTIZE_MAX_TERMS && smk_cat_tail(kernel, p, plan.w) > SMK_TAIL_EPS) plan.w += 0.5;
    if (plan.w <= 0.5 * SMK_QUANTIZE_MAX_TERMS) return plan;
    plan.w = -1;
    /* harmonics whose weight 1/(πk)·φ̂(2πk) is above the target; φ̂ decreases with k */
    while (smk_cat_harmonic(kernel, p, plan.harmonics + 1) / (SMK_PI * (plan.harmonics + 1)) > SMK_TAIL_EPS)
        plan.harmonics++;
    return plan;
}

/* At and beyond 2^52 every double is an integer, and at an integer j the symmetric kernel's
 * terms cancel in pairs except −Φ(0) = −½: the smooth floor is exactly x − ½ there. */
#define SMK_INTEGRAL_ABOVE 0x1p52

/* (⌊·⌋ ∗ φ)(x), x finite. */
static inline double smk_cat_floor(int kernel, double p, const smk_floor_plan *plan, double x) {
    if (fabs(x) >= SMK_INTEGRAL_ABOVE) return x - 0.5;
    double f = floor(x);
    if (plan->w < 0) { /* Fourier: x − ½ + Σ φ̂(2πk) sin(2πk·frac)/(πk), frac ∈ [0, 1) exact */
        double frac = x - f, s = 0;
        for (int k = plan->harmonics; k >= 1; --k)
            s += smk_cat_harmonic(kernel, p, k) * sin(2.0 * SMK_PI * k * frac) / (SMK_PI * k);
        return (f - 0.5) + (frac + s);
    }
    /* window j ∈ [x − w, x + w]: j ≤ x adds −(1 − Φ(x − j)) = −Φ(j − x), j > x adds Φ(x − j);
     * the smallest terms first */
    double lo = -0.0, hi = 0.0;
    double first = floor(x - plan->w);
    for (int k = 0; first + k <= f; ++k) lo -= smk_cat_cdf(kernel, p, (first + k) - x);
    for (double j = floor(x + plan->w); j > f; j -= 1.0)
        hi += smk_cat_cdf(kernel, p, x - j);
    return f + (lo + hi);
}


/* ---- sums and row scans ------------------------------------------------------------------ */

/* Neumaier's compensated sum: the error does not grow with the number of terms. */
typedef struct {
    double s, c;
} smk_sum;

static inline void smk_sum_add(smk_sum *a, double v) {
    double t = a->s + v;
    a->c += fabs(a->s) >= fabs(v) ? (a->s - t) + v : (v - t) + a->s;
    a->s = t;
}
static inline double smk_sum_value(smk_sum a) { return a.s + a.c; }

/* Pairwise smooth max of ya, yb (already sign-flipped), SPEC §2. */
static inline double smk_cat_max2(int kind, double p, double ya, double yb) {
    if (ya != ya || yb != yb) return NAN;
    double m = fmax(ya, yb), d = fabs(ya - yb);
    if (isinf(ya) || isinf(yb)) return m; /* an infinite entry: the hard max, the limit */
    if (isinf(d)) { /* finite entries more than the largest double apart: on h = |d|/2 (exact) */
        double h = fabs(0.5 * ya - 0.5 * yb);
        if (kind == SMK_PAIR_ERF) return m - h * erfc(2.0 * (p * h));
        /* μ²/(4(√(h² + μ²/4) + h)) = c·v²/(√(u² + v²) + u) on (h, μ/2)/c, c = max(h, μ/2) */
        double c = fmax(h, 0.5 * p), u = h / c, v = 0.5 * p / c;
        return m + c * (v * (v / (hypot(u, v) + u)));
    }
    if (kind == SMK_PAIR_ERF) return m - 0.5 * d * erfc(p * d);
    return m + p * (p / (2.0 * (hypot(d, p) + d))); /* μ²/(2(√(d²+μ²)+|d|)) without μ² */
}

/* The stable log-log max from m, E = e^{km} and A = log1p(S) (see header). */
static inline double smk_cat_loglog_finish(double m, double k, double e, double a) {
    if (a == 0) return m;
    if (e >= a) return m + log1p(a / e) / k;
    return (log(a) + log1p(e / a)) / k;
}

/* ∂(macro F1)/∂p for one class: (1/C)(2[y = c] − F1_c)/(P_c + Y_c), 0 for an empty class. */
static inline double smk_cat_f1_slope(double inv_c, int is_label, double f1_c, double den) {
    return den > 0 ? inv_c * ((is_label ? 2.0 : 0.0) - f1_c) / den : 0.0;
}

/* ---- smooth max gradients (catalog_grad_entries.inc) ------------------------------------- */

/* ∂/∂ya (*ga) and ∂/∂yb (*gb) of the pairwise smooth max at (ya, yb), already sign-flipped;
 * the smaller one of each pair is formed without cancellation (erfc, μ²/(2h(h + |d|))). */
static inline void smk_cat_max2_grad(int kind, double p, double ya, double yb, double *ga, double *gb) {
    if (ya != ya || yb != yb) { *ga = *gb = NAN; return; }
    if (isinf(ya) || isinf(yb)) { /* the hard max's gradient; a tie of infinities splits evenly */
        *ga = ya == yb ? 0.5 : (ya > yb ? 1.0 : 0.0);
        *gb = 1.0 - *ga;
        return;
    }
    /* d = ya − yb, held as sc·(d/sc): sc = ½ when the difference of two finite values is past
     * the largest double (halving such large values is exact), else 1 */
    double d = ya - yb, sc = 1.0;
    if (isinf(d)) d = 0.5 * ya - 0.5 * yb, sc = 0.5;
    if (kind == SMK_PAIR_ERF) {
        double t = p * d / sc; /* μ·(a − b); ±∞ only where the limit (1, 0) / (0, 1) is the answer */
        double g = fabs(t) > SMK_ERF_TAIL ? 0.0 : SMK_TWO_OVER_SQRTPI * t * exp(-t * t);
        *ga = 0.5 * (erfc(-t) + g);
        *gb = 0.5 * (erfc(t) - g);
        return;
    }
    /* (1 − |d|/h)/2 = μ²/(2h(h + |d|)), on (|d|, μ)/c with c = max(|d|, μ) (both times sc):
     * scale-free, no overflow */
    double c = fmax(fabs(d), sc * p), u = fabs(d) / c, v = sc * p / c, h = hypot(u, v);
    double small = 0.5 * (v / h) * (v / (h + u));
    *ga = d >= 0 ? 1.0 - small : small;
    *gb = d >= 0 ? small : 1.0 - small;
}

#endif
