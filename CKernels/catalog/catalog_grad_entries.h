/* catalog_grad_entries.h — gradients of the smooth max / min (smoothkit_catalog_grad.h) for one
 * element type, written once; catalog.c includes it after catalog_entries.h for f32 and f64.
 * Each row works on y = s·x (s = −1 for the min): ∂min(x)/∂x = ∂max/∂y at y = −x. */

/* Fills g with 0, or with NaN; used by the edge rows. */
static void LOCAL(fill)(T *g, size_t n, double v) {
    for (size_t i = 0; i < n; ++i) g[i] = (T)v;
}

/* Edge rows of every kind: NaN → NaN; k entries +∞ → `top` on them (1/k, POWER k^{1/p−1});
 * all −∞ → 0. Returns 1 when it wrote the row, else the row max m and its index *star. */
static int LOCAL(grad_edges)(const T *x, size_t n, smk_max_kind kind, double p, double s, T *g, double *m,
                             size_t *star) {
    size_t infinite = 0;
    *m = -INFINITY, *star = 0;
    for (size_t i = 0; i < n; ++i) {
        double v = s * (double)x[i];
        if (v != v) {
            LOCAL(fill)(g, n, NAN);
            return 1;
        }
        if (v == INFINITY) ++infinite;
        if (v > *m) *m = v, *star = i;
    }
    if (*m == -INFINITY && kind != SMK_MAX_POWER) { /* fully masked */
        LOCAL(fill)(g, n, 0.0);
        return 1;
    }
    if (infinite == 0) return 0;
    double top = kind == SMK_MAX_POWER ? pow((double)infinite, 1.0 / p - 1.0) : 1.0 / (double)infinite;
    for (size_t i = 0; i < n; ++i) g[i] = s * (double)x[i] == INFINITY ? (T)top : (T)0;
    return 1;
}

/* One row of ∂F/∂x (header for each formula); p is 1/τ for LOGSUMEXP, else the parameter. */
static void LOCAL(row_grad)(const T *x, size_t n, smk_max_kind kind, double p, double s, T *g) {
    double m;
    size_t star;
    if (LOCAL(grad_edges)(x, n, kind, p, s, g, &m, &star)) return;
    if (kind == SMK_MAX_POWER) {
        if (m == 0) { /* all zero */
            LOCAL(fill)(g, n, pow((double)n, 1.0 / p - 1.0));
            return;
        }
        smk_sum sum = {0, 0};
        for (size_t i = 0; i < n; ++i) smk_sum_add(&sum, pow(s * (double)x[i] / m, p));
        double root = pow(smk_sum_value(sum), 1.0 / p); /* P/m */
        for (size_t i = 0; i < n; ++i) g[i] = (T)pow(s * (double)x[i] / m / root, p - 1.0);
        return;
    }
    if (kind == SMK_MAX_LOGLOG) {
        /* t_i = e^{E_i − E*} = e^{E*·q_i}, q_i = e^{k(y_i − m)} − 1; w_i = t_i/Σt; ln S = E* + log1p(A).
         * The factor e^{k(y_i − m)} is its own exp: as 1 + q_i it cancels when q_i is near −1. */
        double e = exp(p * m);
        smk_sum sum = {0, 0};
        for (size_t i = 0; i < n; ++i) {
            double q = expm1(p * (s * (double)x[i] - m));
            if (i != star) smk_sum_add(&sum, q == 0 ? 1.0 : exp(e * q));
        }
        double a = log1p(smk_sum_value(sum)), total = 1.0 + smk_sum_value(sum);
        double r = a == 0 ? 1.0 : 1.0 / (1.0 + a / e); /* E* / ln S */
        for (size_t i = 0; i < n; ++i) {
            double z = p * (s * (double)x[i] - m), q = expm1(z);
            double t = i == star || q == 0 ? 1.0 : exp(e * q);
            g[i] = (T)(t / total * exp(z) * r);
        }
        return;
    }
    /* LOGSUMEXP and BOLTZMANN: e_i = e^{p(y_i − m)} with y_i − m = 2d_i (as the value);
     * Boltzmann's y_i − B = 2d_i − D, D = B − m = 2Σd e/Σe */
    smk_sum se = {0, 0}, sde = {0, 0};
    for (size_t i = 0; i < n; ++i) {
        double d = 0.5 * (s * (double)x[i]) - 0.5 * m;
        double e = exp(2.0 * (p * d));
        if (e == 0) continue; /* −∞ entries: d·e would be NaN */
        smk_sum_add(&se, e);
        smk_sum_add(&sde, d * e);
    }
    double sum = smk_sum_value(se), D = 2.0 * (smk_sum_value(sde) / sum);
    for (size_t i = 0; i < n; ++i) {
        double d = 0.5 * (s * (double)x[i]) - 0.5 * m;
        double e = exp(2.0 * (p * d));
        double w = e / sum;
        g[i] = (T)(e == 0 ? 0.0 : kind == SMK_MAX_LOGSUMEXP ? w : w * (1.0 + (2.0 * (p * d) - p * D)));
    }
}

smk_status SMK_NAME(smooth_max_grad_)(const T *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind, T param,
                                      smk_extremum ext, T *g, size_t ldg) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok((double)param)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldx, sizeof(T)) || !smk_extent_ok(rows, cols, ldg, sizeof(T)))
        return SMK_ERR_SHAPE;
    if (cols > 0 && (!x || !g)) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_MAX_LOGLOG || (unsigned)ext > SMK_EXTREMUM_MIN) return SMK_ERR_DOMAIN;
    double s = ext == SMK_EXTREMUM_MIN ? -1.0 : 1.0;
    if (kind == SMK_MAX_POWER) /* domain s·x ≥ 0, checked before anything is written */
        for (size_t r = 0; r < rows; ++r)
            for (size_t i = 0; i < cols; ++i)
                if (s * (double)x[r * ldx + i] < 0) return SMK_ERR_DOMAIN;
    double p = kind == SMK_MAX_LOGSUMEXP ? 1.0 / (double)param : (double)param;
    for (size_t r = 0; r < rows && cols > 0; ++r) LOCAL(row_grad)(x + r * ldx, cols, kind, p, s, g + r * ldg);
    return SMK_OK;
}

smk_status SMK_NAME(smooth_max2_grad_)(const T *a, const T *b, size_t n, smk_pair_kind kind, T param,
                                       smk_extremum ext, T *ga, T *gb) {
    smk_status st = CHECK_ARRAY(n, param, a, ga);
    if (st != SMK_OK) return st;
    if (n > 0 && (!b || !gb)) return SMK_ERR_NULL;
    if ((unsigned)kind > SMK_PAIR_SQRT || (unsigned)ext > SMK_EXTREMUM_MIN) return SMK_ERR_DOMAIN;
    double s = ext == SMK_EXTREMUM_MIN ? -1.0 : 1.0;
    for (size_t i = 0; i < n; ++i) {
        double da, db;
        smk_cat_max2_grad(kind, (double)param, s * (double)a[i], s * (double)b[i], &da, &db);
        ga[i] = (T)da;
        gb[i] = (T)db;
    }
    return SMK_OK;
}
