/* bounds.c — the catalog's bounds as API (SPEC §2): gaps as functions of the parameter, and
 * the parameter for a target error. See smoothkit_catalog.h. */
#include <float.h>
#include <math.h>
#include "smoothkit.h"
#include "checks.h"
#include "catalog/catalog_math.h"

/* The largest and smallest parameter the bisection tries (a wider range is never useful). */
#define SMK_PARAM_MAX 0x1p1000
#define SMK_PARAM_MIN 0x1p-1000
#define SMK_E 2.71828182845904523536

smk_status smk_smooth_abs_gap(smk_abs_kind kind, double p, smk_gap *g) {
    if (!smk_temperature_ok(p)) return SMK_ERR_TEMPERATURE;
    if (!g) return SMK_ERR_NULL;
    switch (kind) {
    case SMK_ABS_LOGCOSH: *g = (smk_gap){0, SMK_LN2 / p}; return SMK_OK;
    case SMK_ABS_SOURCE6: *g = (smk_gap){0, 2 * SMK_LN2 / p}; return SMK_OK;
    case SMK_ABS_SQRT: *g = (smk_gap){0, p}; return SMK_OK;
    case SMK_ABS_ERF: *g = (smk_gap){SMK_T_ERFC_MAX / p, 0}; return SMK_OK;
    case SMK_ABS_HUBER: *g = (smk_gap){p / 2, 0}; return SMK_OK;
    }
    return SMK_ERR_DOMAIN;
}

/* The gap without argument checks (the bisection calls it). */
static smk_gap max_gap(smk_max_kind kind, double p, size_t n, double m) {
    double nn = n > 1 ? (double)n : 1.0;
    switch (kind) {
    case SMK_MAX_LOGSUMEXP: return (smk_gap){0, p * log(nn)};
    case SMK_MAX_BOLTZMANN: return (smk_gap){(n == 2 ? SMK_LAMBERT_W_INV_E : (nn - 1) / SMK_E) / p, 0};
    case SMK_MAX_POWER: return (smk_gap){0, (pow(nn, 1 / p) - 1) * fmax(m, 0)};
    default: return (smk_gap){0, log1p(log(nn) * exp(-p * m)) / p}; /* SMK_MAX_LOGLOG */
    }
}

smk_status smk_smooth_max_gap(smk_max_kind kind, double p, size_t n, double m, smk_gap *g) {
    if (!smk_temperature_ok(p)) return SMK_ERR_TEMPERATURE;
    if (!g) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_MAX_LOGLOG || m != m) return SMK_ERR_DOMAIN;
    *g = max_gap(kind, p, n, m);
    return SMK_OK;
}

smk_status smk_smooth_max2_gap(smk_pair_kind kind, double p, smk_gap *g) {
    if (!smk_temperature_ok(p)) return SMK_ERR_TEMPERATURE;
    if (!g) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_PAIR_SQRT) return SMK_ERR_DOMAIN;
    *g = kind == SMK_PAIR_ERF ? (smk_gap){SMK_T_ERFC_MAX / (2 * p), 0} : (smk_gap){0, p / 2};
    return SMK_OK;
}

smk_status smk_smooth_abs_param(smk_abs_kind kind, double eps, double *p) {
    smk_gap unit;
    smk_status st = smk_smooth_abs_gap(kind, 1.0, &unit); /* the gap at parameter 1 */
    if (st != SMK_OK) return st;
    if (!smk_temperature_ok(eps)) return SMK_ERR_TEMPERATURE;
    if (!p) return SMK_ERR_NULL;
    double g1 = fmax(unit.below, unit.above);
    /* sharpness k: gap = g1/k; width μ: gap = g1·μ */
    *p = kind == SMK_ABS_SQRT || kind == SMK_ABS_HUBER ? eps / g1 : g1 / eps;
    return SMK_OK;
}

/* Worst gap of a smoothing whose gap falls as its parameter grows. */
static double worst(smk_max_kind kind, double p, size_t n, double m) {
    smk_gap g = max_gap(kind, p, n, m);
    return fmax(g.below, g.above);
}

smk_status smk_smooth_max_param(smk_max_kind kind, double eps, size_t n, double m, double *p) {
    if (!smk_temperature_ok(eps)) return SMK_ERR_TEMPERATURE;
    if (!p) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_MAX_LOGLOG || !isfinite(m)) return SMK_ERR_DOMAIN;
    if (kind == SMK_MAX_LOGSUMEXP) { /* τ: the gap grows with τ */
        *p = n <= 1 ? DBL_MAX : eps / log((double)n);
        return SMK_OK;
    }
    /* β, p, k: the gap falls as the parameter grows; bisect [lo, hi] on a log scale */
    double hi = 1;
    while (worst(kind, hi, n, m) > eps) {
        hi *= 2;
        if (hi > SMK_PARAM_MAX) return SMK_ERR_DOMAIN;
    }
    double lo = hi / 2;
    while (worst(kind, lo, n, m) <= eps && lo > SMK_PARAM_MIN) lo /= 2;
    for (int it = 0; it < 200 && hi / lo > 1 + 0x1p-50; ++it) {
        double mid = sqrt(lo * hi);
        if (worst(kind, mid, n, m) <= eps) hi = mid;
        else lo = mid;
    }
    *p = hi;
    return SMK_OK;
}

smk_status smk_smooth_max2_param(smk_pair_kind kind, double eps, double *p) {
    if (!smk_temperature_ok(eps)) return SMK_ERR_TEMPERATURE;
    if (!p) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_PAIR_SQRT) return SMK_ERR_DOMAIN;
    *p = kind == SMK_PAIR_ERF ? SMK_T_ERFC_MAX / (2 * eps) : 2 * eps;
    return SMK_OK;
}
