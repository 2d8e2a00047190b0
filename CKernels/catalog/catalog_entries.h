/* catalog_entries.h — the catalog's entry points for one element type, written once.
 * catalog.c includes it twice (no include guard), with T = float, SUF = f32 and T = double,
 * SUF = f64. Each entry point: argument checks (nothing written on error), then a loop that
 * converts to double, calls catalog_math.h and converts back; the Boltzmann and log-sum-exp
 * rows go to the SIMD kernel table instead (kernels/catalog_rows.inc, smk_active_kernels()). */

/* The n-element array rules: parameter, extent, pointers (SPEC §1 "Arguments", in that order). */
static smk_status LOCAL(check_array)(size_t n, T param, const void *in, const void *out) {
    if (!smk_temperature_ok((double)param)) return SMK_ERR_TEMPERATURE;
    if (n > 0 && !smk_extent_ok(1, n, n, sizeof(T))) return SMK_ERR_SHAPE;
    if (n > 0 && (!in || !out)) return SMK_ERR_NULL;
    return SMK_OK;
}
#define CHECK_ARRAY LOCAL(check_array)

smk_status SMK_NAME(smooth_abs_)(const T *x, size_t n, smk_abs_kind kind, T param, T *y, T *dy) {
    smk_status st = CHECK_ARRAY(n, param, x, y);
    if (st != SMK_OK) return st;
    if ((unsigned)kind > SMK_ABS_HUBER) return SMK_ERR_DOMAIN;
    for (size_t i = 0; i < n; ++i) {
        double d;
        double v = smk_cat_abs(kind, (double)param, (double)x[i], &d);
        if (dy) dy[i] = (T)d;
        y[i] = (T)v;
    }
    return SMK_OK;
}

/* ---- row smooth max ----------------------------------------------------------------- */

/* One row of y = s·x: NaN → NaN, an entry +∞ → +∞, otherwise the kind's formula. */
static T LOCAL(row_max)(const T *x, size_t n, smk_max_kind kind, double p, double s) {
    double m = -INFINITY;
    size_t star = 0;
    for (size_t i = 0; i < n; ++i) {
        double v = s * (double)x[i];
        if (v != v) return (T)NAN;
        if (v > m) m = v, star = i;
    }
    if (m == INFINITY) return (T)(s * m);
    if (kind == SMK_MAX_POWER) {
        if (m == 0 || n == 0) return (T)0.0; /* every entry 0 (or none): the max is 0 */
        smk_sum sum = {0, 0};
        for (size_t i = 0; i < n; ++i) smk_sum_add(&sum, pow(s * (double)x[i] / m, p));
        return (T)(s * m * pow(smk_sum_value(sum), 1.0 / p));
    }
    if (kind == SMK_MAX_LOGLOG) {
        if (m == -INFINITY) /* all −∞ (or empty): the formula's value (1/k) ln ln n */
            return (T)(s * (n == 0 ? -INFINITY : log(log((double)n)) / p));
        smk_sum sum = {0, 0};
        double e = exp(p * m);
        for (size_t i = 0; i < n; ++i) {
            if (i == star) continue;
            double q = expm1(p * (s * (double)x[i] - m)); /* e^{kx_i} − E = E·q */
            smk_sum_add(&sum, q == 0 ? 1.0 : exp(e * q));
        }
        return (T)(s * smk_cat_loglog_finish(m, p, e, log1p(smk_sum_value(sum))));
    }
    if (m == -INFINITY) return (T)(s * m); /* all −∞ or empty */
    /* LOGSUMEXP (p = 1/τ) and BOLTZMANN (p = β): e_i = e^{p(y_i − m)}, with y_i − m formed as
     * 2·(y_i/2 − m/2) so that it cannot overflow; −∞ entries have e_i = 0 and are skipped. */
    smk_sum se = {0, 0}, sde = {0, 0};
    for (size_t i = 0; i < n; ++i) {
        double d = 0.5 * (s * (double)x[i]) - 0.5 * m;
        double e = exp(2.0 * (p * d));
        if (e == 0) continue;
        smk_sum_add(&se, e);
        smk_sum_add(&sde, d * e);
    }
    if (kind == SMK_MAX_LOGSUMEXP) return (T)(s * (m + log(smk_sum_value(se)) / p));
    return (T)(s * (m + 2.0 * (smk_sum_value(sde) / smk_sum_value(se))));
}

smk_status SMK_NAME(smooth_max_)(const T *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind, T param,
                                 smk_extremum ext, T *out) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok((double)param)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldx, sizeof(T))) return SMK_ERR_SHAPE;
    if (!out || (cols > 0 && !x)) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_MAX_LOGLOG || (unsigned)ext > SMK_EXTREMUM_MIN) return SMK_ERR_DOMAIN;
    double s = ext == SMK_EXTREMUM_MIN ? -1.0 : 1.0;
    if (kind == SMK_MAX_POWER) /* domain s·x ≥ 0 everywhere, checked before anything is written */
        for (size_t r = 0; r < rows; ++r)
            for (size_t i = 0; i < cols; ++i)
                if (s * (double)x[r * ldx + i] < 0) return SMK_ERR_DOMAIN;
    if (cols == 0) { /* empty rows, answered here: kernels only see cols ≥ 1 and a non-null x */
        for (size_t r = 0; r < rows; ++r) out[r] = kind == SMK_MAX_POWER ? (T)0 : (T)(-s * INFINITY);
        return SMK_OK;
    }
    if (kind == SMK_MAX_LOGSUMEXP && ext == SMK_EXTREMUM_MAX) /* the core's SIMD kernel */
        return SMK_NAME(logsumexp_)(x, rows, cols, ldx, param, out);
    if (kind == SMK_MAX_LOGSUMEXP || kind == SMK_MAX_BOLTZMANN) {
        /* the SIMD kernel (kernels/catalog_rows.inc) takes τ; Boltzmann's τ = 1/β must be a
         * positive finite T (else, for β beyond T's range, the scalar path below) */
        T tau = kind == SMK_MAX_LOGSUMEXP ? param : (T)(1.0 / (double)param);
        if (isfinite(tau) && tau > 0) {
            smk_active_kernels()->LOCAL(weighted_max)(x, rows, cols, ldx, tau, kind == SMK_MAX_BOLTZMANN, (T)s, out);
            return SMK_OK;
        }
    }
    double p = kind == SMK_MAX_LOGSUMEXP ? 1.0 / (double)param : (double)param;
    for (size_t r = 0; r < rows; ++r) out[r] = LOCAL(row_max)(x + r * ldx, cols, kind, p, s);
    return SMK_OK;
}

smk_status SMK_NAME(smooth_max2_)(const T *a, const T *b, size_t n, smk_pair_kind kind, T param, smk_extremum ext,
                                  T *out) {
    smk_status st = CHECK_ARRAY(n, param, a, out);
    if (st != SMK_OK) return st;
    if (n > 0 && !b) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_PAIR_SQRT || (unsigned)ext > SMK_EXTREMUM_MIN) return SMK_ERR_DOMAIN;
    double s = ext == SMK_EXTREMUM_MIN ? -1.0 : 1.0;
    for (size_t i = 0; i < n; ++i)
        out[i] = (T)(s * smk_cat_max2(kind, (double)param, s * (double)a[i], s * (double)b[i]));
    return SMK_OK;
}

/* ---- mollifiers ----------------------------------------------------------------------- */

smk_status SMK_NAME(mollifier_)(const T *x, size_t n, smk_kernel kernel, T param, smk_kernel_part part, T *out) {
    smk_status st = CHECK_ARRAY(n, param, x, out);
    if (st != SMK_OK) return st;
    if ((unsigned)kernel > SMK_KERNEL_LOGISTIC || (unsigned)part > SMK_PART_RAMP) return SMK_ERR_DOMAIN;
    if (kernel == SMK_KERNEL_CAUCHY && part == SMK_PART_RAMP) return SMK_ERR_DOMAIN;
    for (size_t i = 0; i < n; ++i) out[i] = (T)smk_cat_part(kernel, part, (double)param, (double)x[i]);
    return SMK_OK;
}

static int LOCAL(all_finite)(const T *v, size_t m) {
    for (size_t j = 0; v && j < m; ++j)
        if (!isfinite(v[j])) return 0;
    return 1;
}
#define ALL_FINITE LOCAL(all_finite)

static int LOCAL(all_zero)(const T *v, size_t m) {
    for (size_t j = 0; v && j < m; ++j)
        if (v[j] != 0) return 0;
    return 1;
}

smk_status SMK_NAME(mollify_piecewise_)(const T *x, size_t n, smk_kernel kernel, T param, T intercept, T slope,
                                        const T *knots, const T *jumps, const T *slope_changes, size_t m, T *y,
                                        T *dy) {
    smk_status st = CHECK_ARRAY(n, param, x, y);
    if (st != SMK_OK) return st;
    if (m > 0 && !smk_extent_ok(1, m, m, sizeof(T))) return SMK_ERR_SHAPE;
    if (m > 0 && !knots) return SMK_ERR_NULL;
    if ((unsigned)kernel > SMK_KERNEL_LOGISTIC) return SMK_ERR_DOMAIN;
    if (!isfinite(intercept) || !isfinite(slope) || !ALL_FINITE(knots, m) || !ALL_FINITE(jumps, m) ||
        !ALL_FINITE(slope_changes, m))
        return SMK_ERR_DOMAIN;
    if (kernel == SMK_KERNEL_CAUCHY && (slope != 0 || !LOCAL(all_zero)(slope_changes, m)))
        return SMK_ERR_DOMAIN;
    double p = (double)param;
    /* the limits at ±∞: the leftmost line, and the rightmost line intercept + ΣJ − ΣS·c with
     * slope + ΣS (an infinite value unless that slope is 0) */
    smk_sum right = {0, 0}, right_slope = {0, 0};
    smk_sum_add(&right, (double)intercept);
    smk_sum_add(&right_slope, (double)slope);
    for (size_t j = 0; j < m; ++j) {
        if (jumps) smk_sum_add(&right, (double)jumps[j]);
        if (slope_changes) {
            smk_sum_add(&right, -(double)slope_changes[j] * (double)knots[j]);
            smk_sum_add(&right_slope, (double)slope_changes[j]);
        }
    }
    for (size_t i = 0; i < n; ++i) {
        double xi = (double)x[i];
        if (isinf(xi)) {
            double sl = xi > 0 ? smk_sum_value(right_slope) : (double)slope;
            double at = xi > 0 ? smk_sum_value(right) : (double)intercept;
            if (dy) dy[i] = (T)sl;
            y[i] = (T)(sl != 0 ? copysign(INFINITY, sl * xi) : at);
            continue;
        }
        smk_sum v = {0, 0}, d = {0, 0};
        smk_sum_add(&v, (double)intercept);
        smk_sum_add(&v, (double)slope * xi);
        smk_sum_add(&d, (double)slope);
        for (size_t j = 0; j < m; ++j) {
            double u = xi - (double)knots[j];
            if (jumps && jumps[j] != 0) {
                smk_sum_add(&v, (double)jumps[j] * smk_cat_cdf(kernel, p, u));
                if (dy) smk_sum_add(&d, (double)jumps[j] * smk_cat_pdf(kernel, p, u));
            }
            if (slope_changes && slope_changes[j] != 0) {
                smk_sum_add(&v, (double)slope_changes[j] * smk_cat_ramp(kernel, p, u));
                if (dy) smk_sum_add(&d, (double)slope_changes[j] * smk_cat_cdf(kernel, p, u));
            }
        }
        if (dy) dy[i] = (T)smk_sum_value(d);
        y[i] = (T)smk_sum_value(v);
    }
    return SMK_OK;
}

/* ---- smooth floor, ceil, round, sign -------------------------------------------------- */

smk_status SMK_NAME(smooth_quantize_)(const T *x, size_t n, smk_quantizer q, smk_kernel kernel, T param, T *y) {
    smk_status st = CHECK_ARRAY(n, param, x, y);
    if (st != SMK_OK) return st;
    if ((unsigned)q > SMK_QUANT_SIGN || (unsigned)kernel > SMK_KERNEL_LOGISTIC) return SMK_ERR_DOMAIN;
    if (kernel == SMK_KERNEL_CAUCHY && q != SMK_QUANT_SIGN) return SMK_ERR_DOMAIN;
    double p = (double)param;
    if (q == SMK_QUANT_SIGN) { /* 2Φ(x) − 1 = ±(1 − 2Φ(−|x|)): no cancellation near ±1 */
        for (size_t i = 0; i < n; ++i) {
            double xi = (double)x[i];
            y[i] = xi != xi ? (T)NAN : (T)copysign(1.0 - 2.0 * smk_cat_cdf(kernel, p, -fabs(xi)), xi);
        }
        return SMK_OK;
    }
    smk_floor_plan plan = smk_cat_floor_plan(kernel, p);
    double shift = q == SMK_QUANT_ROUND ? 0.5 : 0.0, add = q == SMK_QUANT_CEIL ? 1.0 : 0.0;
    for (size_t i = 0; i < n; ++i) {
        double xi = (double)x[i] + shift;
        y[i] = isfinite(xi) ? (T)(smk_cat_floor(kernel, p, &plan, xi) + add) : (T)xi;
    }
    return SMK_OK;
}


/* ---- smooth accuracy and F1 ----------------------------------------------------------- */

/* Row softmax in double: log p_j = (z_j − m) − log_s. NaN or +∞ anywhere, or an all −∞ row,
 * make the row NaN (bad = 1). */
typedef struct {
    double m, log_s;
    int bad;
} LOCAL(stats);

static LOCAL(stats) LOCAL(row_stats)(const T *z, size_t n) {
    LOCAL(stats) st = {-INFINITY, 0, 0};
    for (size_t j = 0; j < n; ++j) {
        double v = (double)z[j];
        if (v != v || v == INFINITY) st.bad = 1;
        if (v > st.m) st.m = v;
    }
    if (st.bad || st.m == -INFINITY) {
        st.bad = 1;
        return st;
    }
    smk_sum s = {0, 0};
    for (size_t j = 0; j < n; ++j) smk_sum_add(&s, exp((double)z[j] - st.m));
    st.log_s = log(smk_sum_value(s));
    return st;
}

static inline double LOCAL(prob)(const LOCAL(stats) *st, T z) {
    return st->bad ? NAN : exp(((double)z - st->m) - st->log_s);
}

/* Labels in [0, limit) for every row, else SMK_ERR_DOMAIN. */
static int LOCAL(labels_ok)(const int64_t *y, size_t rows, size_t limit) {
    for (size_t r = 0; r < rows; ++r)
        if (y[r] < 0 || (uint64_t)y[r] >= (uint64_t)limit) return 0;
    return 1;
}

/* Shape and pointer checks of the matrix metrics (grad optional). */
static smk_status LOCAL(check_metric)(const T *z, size_t rows, size_t cols, size_t ld, const int64_t *y,
                                      const void *out, const T *grad, size_t ldg) {
    if (!smk_extent_ok(rows, cols, ld, sizeof(T)) || (grad && !smk_extent_ok(rows, cols, ldg, sizeof(T))))
        return SMK_ERR_SHAPE;
    if (!out || !y || (cols > 0 && !z)) return SMK_ERR_NULL;
    if (!LOCAL(labels_ok)(y, rows, cols)) return SMK_ERR_DOMAIN;
    return SMK_OK;
}

smk_status SMK_NAME(smooth_accuracy_)(const T *z, size_t rows, size_t cols, size_t ld, const int64_t *y, T *acc,
                                      T *grad, size_t ldg) {
    if (rows == 0) return SMK_OK;
    smk_status st = LOCAL(check_metric)(z, rows, cols, ld, y, acc, grad, ldg);
    if (st != SMK_OK) return st;
    smk_sum total = {0, 0};
    double inv_b = 1.0 / (double)rows;
    for (size_t r = 0; r < rows; ++r) {
        const T *zr = z + r * ld;
        LOCAL(stats) s = LOCAL(row_stats)(zr, cols);
        double py = LOCAL(prob)(&s, zr[y[r]]); /* fused: exp(z_y − L(z)) */
        smk_sum_add(&total, py);
        if (grad)
            for (size_t j = 0; j < cols; ++j)
                grad[r * ldg + j] = (T)(inv_b * py * ((j == (size_t)y[r] ? 1.0 : 0.0) - LOCAL(prob)(&s, zr[j])));
    }
    *acc = (T)(smk_sum_value(total) * inv_b);
    return SMK_OK;
}

smk_status SMK_NAME(smooth_f1_)(const T *z, size_t n, const int64_t *y, T *f1, T *grad) {
    if (n > 0 && !smk_extent_ok(1, n, n, sizeof(T))) return SMK_ERR_SHAPE;
    if (!f1 || (n > 0 && (!z || !y))) return SMK_ERR_NULL;
    if (!LOCAL(labels_ok)(y, n, 2)) return SMK_ERR_DOMAIN;
    smk_sum tp = {0, 0}, den = {0, 0};
    for (size_t i = 0; i < n; ++i) {
        double p = smk_cat_sigmoid((double)z[i]);
        smk_sum_add(&tp, p * (double)y[i]);
        smk_sum_add(&den, p + (double)y[i]);
    }
    double d = smk_sum_value(den), f = d > 0 ? 2.0 * smk_sum_value(tp) / d : 0.0;
    if (d != d) f = NAN;
    if (grad)
        for (size_t i = 0; i < n; ++i) {
            double p = smk_cat_sigmoid((double)z[i]);
            grad[i] = d > 0 ? (T)(p * (1.0 - p) * (2.0 * (double)y[i] - f) / d) : (T)(d == d ? 0.0 : NAN);
        }
    *f1 = (T)f;
    return SMK_OK;
}

smk_status SMK_NAME(smooth_macro_f1_)(const T *z, size_t rows, size_t cols, size_t ld, const int64_t *y,
                                      double *work, T *f1, T *grad, size_t ldg) {
    if (rows == 0) return SMK_OK;
    smk_status st = LOCAL(check_metric)(z, rows, cols, ld, y, f1, grad, ldg);
    if (st != SMK_OK) return st;
    if (cols > 0 && !work) return SMK_ERR_NULL;
    /* work: P_c, TP_c, Y_c (plain sums: each adds at most `rows` terms in [0, 1]) */
    double *P = work, *TP = work + cols, *Y = work + 2 * cols;
    for (size_t c = 0; c < 3 * cols; ++c) work[c] = 0;
    for (size_t r = 0; r < rows; ++r) {
        const T *zr = z + r * ld;
        LOCAL(stats) s = LOCAL(row_stats)(zr, cols);
        for (size_t c = 0; c < cols; ++c) P[c] += LOCAL(prob)(&s, zr[c]);
        TP[y[r]] += LOCAL(prob)(&s, zr[y[r]]);
        Y[y[r]] += 1;
    }
    /* F1_c = 2TP_c/(P_c + Y_c), kept in TP; the denominator kept in P */
    smk_sum m = {0, 0};
    for (size_t c = 0; c < cols; ++c) {
        double den = P[c] + Y[c];
        TP[c] = den > 0 ? 2.0 * TP[c] / den : (den == den ? 0.0 : NAN);
        P[c] = den;
        smk_sum_add(&m, TP[c]);
    }
    double inv_c = 1.0 / (double)cols;
    if (grad)
        for (size_t r = 0; r < rows; ++r) {
            const T *zr = z + r * ld;
            T *gr = grad + r * ldg;
            LOCAL(stats) s = LOCAL(row_stats)(zr, cols);
            /* G_c = (1/C)(2[y = c] − F1_c)/(P_c + Y_c); dz = p ⊙ (G − ⟨G, p⟩) */
            smk_sum dot = {0, 0};
            for (size_t c = 0; c < cols; ++c)
                smk_sum_add(&dot, smk_cat_f1_slope(inv_c, c == (size_t)y[r], TP[c], P[c]) * LOCAL(prob)(&s, zr[c]));
            double gp = smk_sum_value(dot);
            for (size_t c = 0; c < cols; ++c)
                gr[c] = (T)(LOCAL(prob)(&s, zr[c]) * (smk_cat_f1_slope(inv_c, c == (size_t)y[r], TP[c], P[c]) - gp));
        }
    *f1 = (T)(cols > 0 ? smk_sum_value(m) * inv_c : NAN);
    return SMK_OK;
}

/* ---- smooth max / min gradients ---- */
#include "catalog/catalog_grad_entries.h"

#undef CHECK_ARRAY
#undef ALL_FINITE
