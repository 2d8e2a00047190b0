/*
 * smoothkit_train.h — training and pipeline ops of SmoothKit: backward (VJP) kernels of the
 * four row ops, fused cross-entropy, the mergeable logsumexp state, masked and ragged rows,
 * weighted logsumexp with sign, and column-wise (axis 0) forward ops. Included by smoothkit.h.
 *
 * Same conventions as smoothkit.h: row-major matrices with leading dimensions ≥ cols, t is
 * the temperature τ (finite, > 0), f32 and f64 for every op, reentrant, single-threaded, no
 * allocation. Formulas are SPEC.md §1 ("Gradients", "Streaming merge"); a row never affects
 * its neighbours. On any error a status code is returned and not one element of any output
 * is written (labels are checked in full before the first write).
 *
 * Arguments (else the status in brackets):
 *   t finite and > 0                                             [SMK_ERR_TEMPERATURE]
 *   every ld ≥ cols and every extent ((rows − 1)·ld + cols)·sizeof(element) ≤ PTRDIFF_MAX
 *                                                                [SMK_ERR_SHAPE]
 *   outputs non-null when rows > 0, inputs non-null when rows·cols > 0 (per-row vectors such
 *   as g or labels: when rows > 0)                               [SMK_ERR_NULL]
 *   enums and options in range, labels in [0, cols) or == ignore  [SMK_ERR_DOMAIN]
 * rows == 0 is valid and does nothing, whatever the pointers (also for cross-entropy with a
 * reduction: loss[0] is not written).
 */
#ifndef SMOOTHKIT_TRAIN_H
#define SMOOTHKIT_TRAIN_H

#include <stddef.h>
#include <stdint.h>
#include "smoothkit.h" /* smk_status, SMK_API (include guards make the cycle harmless) */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Backward (vector–Jacobian products) ---------------------------------------------
 *
 *   logsumexp    dx_i = g · p_i                      g: one value per row (g[r])
 *   softmax      dx_i = p_i · (g_i − ⟨g, p⟩) / τ      from p, the forward output
 *   log_softmax  dx_i = (g_i − p_i · Σ_j g_j) / τ     from log p (the forward output) or p
 *   softargmax   dx_i = g · p_i · (i − a) / τ         g: one value per row, a = Σ i·p_i
 *
 * logsumexp and softargmax recompute p from x (one exp pass, fused with the scaling). The
 * sums ⟨g, p⟩, Σ g, Σ e are blocked and compensated (as the forward kernels), so the error is
 * a few u relative to the terms, whatever n. Edge rows follow the formulas at the forward
 * outputs of SPEC §1: a NaN row gives NaN; +∞ entries share p = 1/k; a fully masked (all −∞)
 * row has p = 0, so logsumexp, softmax and softargmax give dx = 0 there (softargmax: a is NaN
 * but no mass depends on it) and log_softmax gives g/τ. cols == 0: nothing written.
 *
 * In place: dx may be the storage of x (logsumexp, softargmax), of p or g (softmax), of y or
 * g (log_softmax), with the same leading dimension; any other overlap is undefined.
 *
 * Example (softmax layer, upstream gradient g):
 *   smk_softmax_f32(x, rows, cols, cols, 1.0f, p, cols);
 *   smk_softmax_backward_f32(p, rows, cols, cols, g, cols, 1.0f, dx, cols);
 */
SMK_API smk_status smk_logsumexp_backward_f32(const float *x, size_t rows, size_t cols, size_t ldx,
                                              const float *g, float t, float *dx, size_t lddx);
SMK_API smk_status smk_logsumexp_backward_f64(const double *x, size_t rows, size_t cols, size_t ldx,
                                              const double *g, double t, double *dx, size_t lddx);

SMK_API smk_status smk_softmax_backward_f32(const float *p, size_t rows, size_t cols, size_t ldp,
                                            const float *g, size_t ldg, float t, float *dx, size_t lddx);
SMK_API smk_status smk_softmax_backward_f64(const double *p, size_t rows, size_t cols, size_t ldp,
                                            const double *g, size_t ldg, double t, double *dx, size_t lddx);

/* What the y argument of smk_log_softmax_backward holds. */
typedef enum smk_prob_form {
    SMK_FORM_LOG_PROB = 0, /* y = log p, the output of smk_log_softmax (p = exp y, exact to ~1u) */
    SMK_FORM_PROB = 1      /* y = p, the output of smk_softmax */
} smk_prob_form;

SMK_API smk_status smk_log_softmax_backward_f32(const float *y, size_t rows, size_t cols, size_t ldy,
                                                smk_prob_form form, const float *g, size_t ldg, float t,
                                                float *dx, size_t lddx);
SMK_API smk_status smk_log_softmax_backward_f64(const double *y, size_t rows, size_t cols, size_t ldy,
                                                smk_prob_form form, const double *g, size_t ldg, double t,
                                                double *dx, size_t lddx);

SMK_API smk_status smk_softargmax_backward_f32(const float *x, size_t rows, size_t cols, size_t ldx,
                                               const float *g, float t, float *dx, size_t lddx);
SMK_API smk_status smk_softargmax_backward_f64(const double *x, size_t rows, size_t cols, size_t ldx,
                                               const double *g, double t, double *dx, size_t lddx);

/* ---- Fused cross-entropy --------------------------------------------------------------
 *
 * Per row, with p = softmax(x/τ), log p = log_softmax(x/τ) and a target distribution q:
 *   loss_r = −Σ_i q_i · log p_i          (terms with q_i = 0 count 0, even where log p_i = −∞)
 *   dx_i   = (p_i · Σ_j q_j − q_i) / τ   (= (p − q)/τ when q sums to 1), times the reduction's
 *                                         scale (1/count for MEAN)
 * computed in two passes over the row (Σ exp, then loss terms and dx together).
 *   labels:        q = (1 − ε)·onehot(y) + ε/n (ε = label smoothing, in [0, 1])
 *   soft targets:  q = (1 − ε)·target_row + ε/n
 * Labels are int64_t (as PyTorch's targets); a row whose label == ignore (e.g. −100) gets
 * loss 0 and dx 0 and is excluded from the mean. Any other label outside [0, cols) is
 * SMK_ERR_DOMAIN, with nothing written.
 *
 * Reductions: NONE writes loss[r] for every row (rows values); SUM and MEAN write loss[0]
 * only (MEAN: the sum over counted rows divided by their number; no counted row at all gives
 * 0/0 = NaN as PyTorch does, with dx = 0). dx may be NULL (loss only); it may be x itself
 * (same leading dimension). Edge rows use SPEC §1's forward outputs (NaN row → NaN loss and
 * dx; k entries +∞ → p = 1/k there; a label on a −∞ entry → loss +∞).
 *
 * Example (PyTorch's F.cross_entropy(x, y, ignore_index=-100, label_smoothing=0.1)):
 *   float loss;
 *   smk_cross_entropy_f32(x, rows, cols, cols, y, -100, 0.1f, 1.0f, SMK_REDUCE_MEAN, &loss, dx, cols);
 */
typedef enum smk_reduction {
    SMK_REDUCE_NONE = 0, /* loss per row */
    SMK_REDUCE_MEAN = 1, /* mean over the rows not ignored */
    SMK_REDUCE_SUM = 2   /* sum over the rows */
} smk_reduction;

SMK_API smk_status smk_cross_entropy_f32(const float *x, size_t rows, size_t cols, size_t ldx,
                                         const int64_t *labels, int64_t ignore, float smoothing, float t,
                                         smk_reduction reduction, float *loss, float *dx, size_t lddx);
SMK_API smk_status smk_cross_entropy_f64(const double *x, size_t rows, size_t cols, size_t ldx,
                                         const int64_t *labels, int64_t ignore, double smoothing, double t,
                                         smk_reduction reduction, double *loss, double *dx, size_t lddx);

SMK_API smk_status smk_cross_entropy_soft_f32(const float *x, size_t rows, size_t cols, size_t ldx,
                                              const float *target, size_t ldq, float smoothing, float t,
                                              smk_reduction reduction, float *loss, float *dx, size_t lddx);
SMK_API smk_status smk_cross_entropy_soft_f64(const double *x, size_t rows, size_t cols, size_t ldx,
                                              const double *target, size_t ldq, double smoothing, double t,
                                              smk_reduction reduction, double *loss, double *dx, size_t lddx);

/* ---- Mergeable logsumexp state (SPEC §1, "Streaming merge") ----------------------------
 *
 * A chunk of a row yields (m, s): m = max of the chunk, s = Σ exp((x_i − m)/τ) ∈ [1, n].
 * Two states merge as m = max(m1, m2), s = s1·exp((m1 − m)/τ) + s2·exp((m2 − m)/τ)
 * (a factor is exactly 1 when m_j == m, so ±∞ never gives NaN), and finalise to
 * L = m + τ·log s. Merging is commutative and associative up to rounding: chunks taken in
 * any order and on any thread agree with the one-pass smk_logsumexp within SPEC's bound
 * 8u·max(|L|, τ) for up to ~8 merge levels (each merge rounds s once; the factor and sum are
 * formed in a wider type).
 * Edge states: empty or all −∞ chunk → (−∞, 0) (the merge identity); k entries +∞ →
 * (+∞, k); any NaN → (NaN, NaN), which any merge propagates.
 * The merge and finalise arrays may alias (in place): out may be m1/s1 or m2/s2.
 *
 * Example (a row split in two chunks of 500 columns):
 *   float m1, s1, m2, s2, lse;
 *   smk_lse_state_f32(x, 1, 500, 500, 1.0f, &m1, &s1);
 *   smk_lse_state_f32(x + 500, 1, 500, 500, 1.0f, &m2, &s2);
 *   smk_lse_merge_f32(&m1, &s1, &m2, &s2, 1, 1.0f, &m1, &s1);
 *   smk_lse_finalize_f32(&m1, &s1, 1, 1.0f, &lse);
 */
SMK_API smk_status smk_lse_state_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t,
                                     float *m, float *s);
SMK_API smk_status smk_lse_state_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t,
                                     double *m, double *s);
SMK_API smk_status smk_lse_merge_f32(const float *m1, const float *s1, const float *m2, const float *s2,
                                     size_t n, float t, float *m, float *s);
SMK_API smk_status smk_lse_merge_f64(const double *m1, const double *s1, const double *m2, const double *s2,
                                     size_t n, double t, double *m, double *s);
SMK_API smk_status smk_lse_finalize_f32(const float *m, const float *s, size_t n, float t, float *out);
SMK_API smk_status smk_lse_finalize_f64(const double *m, const double *s, size_t n, double t, double *out);

/* ---- Masked and ragged rows -----------------------------------------------------------
 *
 * The four forward ops of smoothkit.h where some entries are left out: entry (r, i) is kept
 * when i < lengths[r] (lengths == NULL: every column) and mask[r·ldm + i] != 0 (mask ==
 * NULL: no mask). Every other entry acts exactly as −∞ (SPEC §1): a row with nothing kept
 * gives logsumexp −∞, softmax 0, log_softmax −∞, softargmax NaN, and the kept entries of a
 * row give the values of the same row with the others cut out (soft-argmax indices stay the
 * column indices). Maps write every column: 0 (softmax) or −∞ (log_softmax) where not kept,
 * also in a NaN row; x is never read at i ≥ lengths[r]. Same accuracy as the unmasked ops.
 *   lengths[r] in [0, cols]                      else SMK_ERR_DOMAIN
 *   ldm >= cols and its extent (when mask != NULL) else SMK_ERR_SHAPE
 * softmax and log_softmax may run in place (y == x, ldy == ldx).
 *
 * Example (a ragged batch of 2 rows of lengths 3 and 1, padded to 4 columns):
 *   int64_t len[2] = {3, 1};
 *   smk_masked_softmax_f32(x, 2, 4, 4, len, NULL, 0, 1.0f, p, 4);  // p[1] == {1, 0, 0, 0}
 */
typedef enum smk_row_op {
    SMK_OP_LOGSUMEXP = 0,
    SMK_OP_SOFTMAX = 1,
    SMK_OP_LOG_SOFTMAX = 2,
    SMK_OP_SOFTARGMAX = 3
} smk_row_op;

SMK_API smk_status smk_masked_logsumexp_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                            const uint8_t *mask, size_t ldm, float t, float *out);
SMK_API smk_status smk_masked_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                          const uint8_t *mask, size_t ldm, float t, float *y, size_t ldy);
SMK_API smk_status smk_masked_log_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                              const uint8_t *mask, size_t ldm, float t, float *y, size_t ldy);
SMK_API smk_status smk_masked_softargmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                             const uint8_t *mask, size_t ldm, float t, float *out);
SMK_API smk_status smk_masked_logsumexp_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                            const uint8_t *mask, size_t ldm, double t, double *out);
SMK_API smk_status smk_masked_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                          const uint8_t *mask, size_t ldm, double t, double *y, size_t ldy);
SMK_API smk_status smk_masked_log_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                              const uint8_t *mask, size_t ldm, double t, double *y, size_t ldy);
SMK_API smk_status smk_masked_softargmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths,
                                             const uint8_t *mask, size_t ldm, double t, double *out);

/* ---- Weighted logsumexp with sign -----------------------------------------------------
 *
 * scipy.special.logsumexp(x/τ, b=b, return_sign=True) scaled by τ, per row:
 *   S = Σ_i b_i·exp(x_i/τ),  out[r] = τ·log|S|,  sign[r] = sign(S) ∈ {−1, 0, +1}
 * computed as m + τ·log|Σ b_i·exp((x_i − m)/τ)| with m the max over entries with b_i ≠ 0
 * (entries with b_i = 0 take no part, not even a NaN x_i). b is a matrix of x's shape.
 * Negative weights may cancel: each term is rounded once and the sum is compensated, so
 * |err| ≲ 8u·(|m| + τ·Σ|b_i e_i| / |S|) — the condition number of the sum, as for any
 * method that rounds the terms. Edge rows: a NaN (x where b ≠ 0, or b) → NaN and sign NaN;
 * +∞ entries → +∞ with the sign of Σ b over them (NaN if that is 0); no entry with b ≠ 0,
 * all of them −∞, or S == 0 exactly → −∞ with sign 0 (as scipy). sign may be NULL: then a
 * negative S gives out NaN (the log of a negative number, as scipy without return_sign).
 *
 * Example: log|e^0 − e^1| with sign −1:
 *   float x[2] = {0, 1}, b[2] = {1, -1}, v, s;
 *   smk_logsumexp_weighted_f32(x, 1, 2, 2, b, 2, 1.0f, &v, &s);  // v = 1 + log(1 − 1/e), s = −1
 */
SMK_API smk_status smk_logsumexp_weighted_f32(const float *x, size_t rows, size_t cols, size_t ldx, const float *b,
                                              size_t ldb, float t, float *out, float *sign);
SMK_API smk_status smk_logsumexp_weighted_f64(const double *x, size_t rows, size_t cols, size_t ldx, const double *b,
                                              size_t ldb, double t, double *out, double *sign);

/* ---- Column-wise (axis 0) ------------------------------------------------------------
 *
 * The four forward ops of smoothkit.h down each column (reduce over rows), with the same
 * definitions, edge cases (per column) and accuracy; vectorised across columns (one packet
 * of adjacent columns per row), sums blocked down the rows. logsumexp and softargmax write
 * out[c] for each of the cols columns (softargmax: Σ_r r·p_r, a row index); softmax and
 * log_softmax write y (rows × cols, ldy) and may run in place (y == x, ldy == ldx).
 * rows == 0 (empty columns): logsumexp −∞ and softargmax NaN in every out[c], maps write
 * nothing. cols == 0 does nothing. Checks: t as usual; ldx (and ldy) ≥ cols with the
 * extent rule when rows > 0 [SMK_ERR_SHAPE]; out / y non-null when cols > 0, x when
 * rows·cols > 0 [SMK_ERR_NULL].
 *
 * Example (the softmax of each column of a 3 × 2 matrix):
 *   float x[3][2] = {{0, 1}, {0, 2}, {0, 3}}, p[3][2];
 *   smk_col_softmax_f32(&x[0][0], 3, 2, 2, 1.0f, &p[0][0], 2);  // column 0: 1/3 each
 */
SMK_API smk_status smk_col_logsumexp_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out);
SMK_API smk_status smk_col_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy);
SMK_API smk_status smk_col_log_softmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *y, size_t ldy);
SMK_API smk_status smk_col_softargmax_f32(const float *x, size_t rows, size_t cols, size_t ldx, float t, float *out);
SMK_API smk_status smk_col_logsumexp_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out);
SMK_API smk_status smk_col_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy);
SMK_API smk_status smk_col_log_softmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *y, size_t ldy);
SMK_API smk_status smk_col_softargmax_f64(const double *x, size_t rows, size_t cols, size_t ldx, double t, double *out);

#ifdef __cplusplus
}
#endif

#endif /* SMOOTHKIT_TRAIN_H */
