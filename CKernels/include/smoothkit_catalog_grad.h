/* smoothkit_catalog_grad.h — gradients of the smooth max / min family (SPEC §2).
 * Included at the end of smoothkit.h. Same argument rules as the value functions
 * (smk_smooth_max_*, smk_smooth_max2_*): on any error a status code and NOTHING written. */
#ifndef SMOOTHKIT_CATALOG_GRAD_H
#define SMOOTHKIT_CATALOG_GRAD_H
#include "smoothkit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* g[r·ldg + i] = ∂F/∂x_i of the row smooth max F (ext = MAX) or min (ext = MIN) of row r.
 * The min's gradient at x is the max's gradient at −x (min = −max(−x)). With p = softmax(βx):
 *   LOGSUMEXP (τ):  ∂L/∂x_i = softmax(x/τ)_i                      (Σ = 1)
 *   BOLTZMANN (β):  ∂B/∂x_i = p_i·(1 + β(x_i − B))                 (Σ = 1)
 *   POWER (p):      ∂P/∂x_i = (x_i/P)^{p−1}, x ≥ 0 (min: x ≤ 0), else SMK_ERR_DOMAIN; an entry 0
 *                   with p < 1 has the true derivative +∞
 *   LOGLOG (k):     ∂F/∂x_i = w_i·e^{k x_i}/ln S, S = Σ e^{e^{k x_j}}, w = softmax(e^{k x}),
 *                   formed as w_i·e^{k(x_i − m)}/(1 + ln(1 + A)/e^{km}) (A as in the value)
 * Edge rows (the limits of the formulas): a NaN entry → the whole row NaN; k entries +∞
 * (min: −∞) → 1/k on them and 0 elsewhere (POWER: k^{1/p − 1} on them); entries −∞ (min: +∞,
 * "masked") → 0 on them, and a fully masked row → all 0; POWER's all-zero row → n^{1/p − 1}
 * everywhere (the symmetric choice, P(t,…,t) = n^{1/p}·t); cols = 0 → nothing written.
 * Errors: param not finite > 0 → SMK_ERR_TEMPERATURE; bad extent of x or g (ldx, ldg < cols,
 * overflow) → SMK_ERR_SHAPE; null x or g with cols > 0 → SMK_ERR_NULL; bad kind / ext or a
 * POWER entry of the wrong sign → SMK_ERR_DOMAIN. rows = 0 → SMK_OK, nothing touched.
 * Example: double x[2] = {0, 0}, g[2];
 *   smk_smooth_max_grad_f64(x, 1, 2, 2, SMK_MAX_LOGSUMEXP, 1.0, SMK_EXTREMUM_MAX, g, 2);  // {0.5, 0.5} */
SMK_API smk_status smk_smooth_max_grad_f32(const float *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind,
                                           float param, smk_extremum ext, float *g, size_t ldg);
SMK_API smk_status smk_smooth_max_grad_f64(const double *x, size_t rows, size_t cols, size_t ldx,
                                           smk_max_kind kind, double param, smk_extremum ext, double *g, size_t ldg);

/* ga[i] = ∂/∂a, gb[i] = ∂/∂b of the pairwise smooth max (ext = MAX) or min of (a[i], b[i]),
 * d = a − b (min: evaluated at (−a, −b)); ga + gb = 1 always:
 *   ERF (μ):  ∂/∂a = (erfc(−μd) + (2/√π)·μd·e^{−μ²d²})/2,
 *             ∂/∂b = (erfc(μd) − (2/√π)·μd·e^{−μ²d²})/2
 *   SQRT (μ): ∂/∂a = (1 + d/h)/2, ∂/∂b = (1 − d/h)/2, h = √(d² + μ²)
 *             (the smaller one formed as μ²/(2h(h + |d|)))
 * Edges: a NaN → both NaN; an infinite entry → the hard max's gradient (1, 0) or (0, 1), and ½, ½
 * when a = b = ±∞. Errors as smk_smooth_max2_* (ga, gb both required when n > 0).
 * Example: double a[1] = {1}, b[1] = {1}, ga[1], gb[1];
 *   smk_smooth_max2_grad_f64(a, b, 1, SMK_PAIR_SQRT, 2.0, SMK_EXTREMUM_MAX, ga, gb);  // ½, ½ */
SMK_API smk_status smk_smooth_max2_grad_f32(const float *a, const float *b, size_t n, smk_pair_kind kind,
                                            float param, smk_extremum ext, float *ga, float *gb);
SMK_API smk_status smk_smooth_max2_grad_f64(const double *a, const double *b, size_t n, smk_pair_kind kind,
                                            double param, smk_extremum ext, double *ga, double *gb);

#ifdef __cplusplus
}
#endif

#endif /* SMOOTHKIT_CATALOG_GRAD_H */
