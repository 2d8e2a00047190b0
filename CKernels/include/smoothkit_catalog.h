/*
 * smoothkit_catalog.h — the smoothing catalog of SPEC §2, batched over arrays, f32 and f64.
 * Included at the end of smoothkit.h; a C caller includes smoothkit.h only.
 *
 * Every family states its formula, its bound (how far the smoothing may sit from the hard
 * function) and its derivative. Elements are evaluated in double (for float storage too)
 * with overflow-free forms: no exp of a large positive argument, no x² of a huge x. The one
 * exception is the Boltzmann / log-sum-exp-min row kernel: SIMD in the element type
 * (kernels/catalog_rows.inc, every instruction-set path), like the core row kernels.
 *
 * Argument rules, shared by every entry point (else a status code and NOTHING is written):
 *   the smoothing parameter finite and > 0               else SMK_ERR_TEMPERATURE
 *   n·sizeof(element) (or the matrix extent) ≤ PTRDIFF_MAX, ld ≥ cols   else SMK_ERR_SHAPE
 *   outputs non-null when n > 0 (rows > 0), inputs non-null when there is data   else SMK_ERR_NULL
 *   an unknown enum value, or an input outside the function's domain   else SMK_ERR_DOMAIN
 * n == 0 (rows == 0) is valid and does nothing. Outputs must not overlap inputs unless said.
 * NaN inputs give NaN outputs (never an error).
 *
 * Smooth minimum: every smooth maximum comes with a min through `smk_extremum`:
 *   min_μ(x) = −max_μ(−x), computed with a sign flag (the input is never copied or negated in
 *   memory). The bounds mirror: max ≤ L ≤ max + g becomes min − g ≤ −L(−x) ≤ min.
 */
#ifndef SMOOTHKIT_CATALOG_H
#define SMOOTHKIT_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which extremum a smooth-max entry point computes. */
typedef enum smk_extremum {
    SMK_EXTREMUM_MAX = 0, /* the smooth maximum as written in SPEC §2 */
    SMK_EXTREMUM_MIN = 1  /* −max(−x): the mirrored smooth minimum */
} smk_extremum;

/* ---- Smooth absolute value (SPEC §2) ---------------------------------------------------
 *   kind       param   f(x)                                   bound                  f'(x)
 *   LOGCOSH    k       |x| + log1p(e^{−2k|x|})/k              |x| ≤ f ≤ |x| + ln2/k  tanh(kx)
 *   SOURCE6    k       (1/k)ln(2+e^{kx}+e^{−kx})
 *                      = |x| + 2·log1p(e^{−k|x|})/k           |x| ≤ f ≤ |x| + 2ln2/k tanh(kx/2)
 *   SQRT       μ       √(x² + μ²) (hypot)                     |x| ≤ f ≤ |x| + μ      x/√(x²+μ²)
 *   ERF        μ       x·erf(μx)                              |x| − 0.24038/μ ≤ f ≤ |x|
 *                                                             f' = erf(μx) + (2/√π)μx·e^{−μ²x²}
 *   HUBER      μ       x²/(2μ) if |x| ≤ μ, else |x| − μ/2    |x| − μ/2 ≤ f ≤ |x|    clamp(x/μ, −1, 1)
 * k is a sharpness (k → ∞ recovers |x|), μ a width (μ → 0 recovers |x|) except for ERF where μ is
 * a sharpness, as SPEC writes them. 0.24038 = max_t t·erfc(t). log-cosh, SOURCE6, SQRT and HUBER
 * are convex (second derivative ≤ k, k/2, 1/μ, 1/μ); ERF is not convex for |x| > 1/μ.
 * Finite for every finite x; ±∞ gives +∞ (derivative ±1); NaN gives NaN (both). */
typedef enum smk_abs_kind {
    SMK_ABS_LOGCOSH = 0,
    SMK_ABS_SOURCE6 = 1,
    SMK_ABS_SQRT = 2,
    SMK_ABS_ERF = 3,
    SMK_ABS_HUBER = 4
} smk_abs_kind;

/* y[i] = f(x[i]) and, when dy is not NULL, dy[i] = f'(x[i]). y may equal x (in place).
 * Example:
 *   float x[3] = {-2, 0, 1e30f}, y[3], dy[3];
 *   smk_smooth_abs_f32(x, 3, SMK_ABS_LOGCOSH, 10.0f, y, dy);   // y ≈ {2, 0.0693, 1e30} */
SMK_API smk_status smk_smooth_abs_f32(const float *x, size_t n, smk_abs_kind kind, float param, float *y, float *dy);
SMK_API smk_status smk_smooth_abs_f64(const double *x, size_t n, smk_abs_kind kind, double param, double *y, double *dy);

/* ---- Smooth maximum of each row (SPEC §2) -----------------------------------------------
 * x is rows × cols with leading dimension ldx; out[r] is the smooth max (or min) of row r,
 * m = max of the row, n = cols.
 *   kind        param  formula (evaluated as)                                  bound
 *   LOGSUMEXP   τ      τ·log Σ e^{x_i/τ}  (max: smk_logsumexp_*; min: the SIMD kernel) m ≤ · ≤ m + τ ln n
 *   BOLTZMANN   β      Σ x_i e^{βx_i} / Σ e^{βx_i}                                m − (n−1)/(eβ) ≤ · ≤ m
 *                      = m + Σ (x_i − m) e_i / Σ e_i, e_i = e^{β(x_i − m)}: one fused SIMD pass
 *                      (scan, then Σ e and Σ (x − m)e with blocked compensated sums; the exp
 *                      of rowops.inc), |err| ≤ 8u·max(|B|, max|x_i − m|) in the element type;
 *                      β whose 1/β is not a finite element-type value: the scalar double path
 *                      (n = 2: m − 0.27846/β ≤ ·, 0.27846 = W(1/e))
 *   POWER       p      (Σ x_i^p)^{1/p} = m·(Σ (x_i/m)^p)^{1/p}; domain x ≥ 0     m ≤ · ≤ n^{1/p}·m
 *                      (min: domain x ≤ 0); any entry outside → SMK_ERR_DOMAIN, nothing written
 *   LOGLOG      k      (1/k) ln ln Σ e^{e^{k x_i}} = (1/k) ln(E + log1p(S)), E = e^{km},
 *                      S = Σ_{i≠*} e^{E·expm1(k(x_i − m))}, taken as m + log1p(A/E)/k
 *                      when E ≥ A = log1p(S), else (ln A + log1p(E/A))/k     m ≤ · ≤ m + log1p(ln(n) e^{−km})/k
 *                      (tends to (1/k) ln ln n, not to m, as m → −∞)
 * Rows: any NaN → NaN; an entry +∞ → +∞; all −∞ → −∞ (LOGLOG: (1/k) ln ln n, its limit);
 * cols == 0 → −∞ (POWER: 0; x may then be NULL). Mirrored for the min (+∞ for an empty row).
 * Example:
 *   double x[4] = {1, 2, 3, 3};
 *   smk_smooth_max_f64(x, 1, 4, 4, SMK_MAX_BOLTZMANN, 10.0, SMK_EXTREMUM_MAX, &out);  // ≈ 3 − 2.27e-5 */
typedef enum smk_max_kind {
    SMK_MAX_LOGSUMEXP = 0,
    SMK_MAX_BOLTZMANN = 1,
    SMK_MAX_POWER = 2,
    SMK_MAX_LOGLOG = 3
} smk_max_kind;

SMK_API smk_status smk_smooth_max_f32(const float *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind,
                                      float param, smk_extremum ext, float *out);
SMK_API smk_status smk_smooth_max_f64(const double *x, size_t rows, size_t cols, size_t ldx, smk_max_kind kind,
                                      double param, smk_extremum ext, double *out);

/* ---- Pairwise smooth maximum of two arrays (SPEC §2) -----------------------------------
 * out[i] = max_μ(a[i], b[i]); d = a − b, m = max(a, b):
 *   ERF    μ (sharpness)  (a + b + d·erf(μd))/2 = m − |d|·erfc(μ|d|)/2     m − 0.24038/(2μ) ≤ · ≤ m
 *   SQRT   μ (width)      (a + b + √(d² + μ²))/2 = m + μ²/(2(√(d²+μ²) + |d|))  m ≤ · ≤ m + μ/2
 * The right-hand forms are the ones evaluated: a + b never overflows. Infinite entries give
 * the hard max (its limit). out may equal a or b.
 * Example: float a[1] = {1}, b[1] = {1}; smk_smooth_max2_f32(a, b, 1, SMK_PAIR_SQRT, 2, SMK_EXTREMUM_MAX, out); // 2 */
typedef enum smk_pair_kind {
    SMK_PAIR_ERF = 0,
    SMK_PAIR_SQRT = 1
} smk_pair_kind;

SMK_API smk_status smk_smooth_max2_f32(const float *a, const float *b, size_t n, smk_pair_kind kind, float param,
                                       smk_extremum ext, float *out);
SMK_API smk_status smk_smooth_max2_f64(const double *a, const double *b, size_t n, smk_pair_kind kind,
                                       double param, smk_extremum ext, double *out);

/* ---- Mollifiers: approximations of δ (SPEC §2) ------------------------------------------
 *   kernel     param        φ (PDF)                     Φ (CDF)                Ψ (RAMP, ∫Φ)
 *   GAUSSIAN   σ (width)    e^{−x²/2σ²}/(√(2π)σ)        erfc(−x/(σ√2))/2      x·Φ + σ²·φ
 *   CAUCHY     a (width)    a/(π(x² + a²))              atan2(1, −x/a)/π      none: SMK_ERR_DOMAIN
 *   LOGISTIC   t (slope)    t·σ(tx)(1 − σ(tx))          σ(tx)                 max(x,0) + log1p(e^{−t|x|})/t
 * (logistic φ as corrected in SPEC: t·σ(tx)(1 − σ(tx)), not t·σ(x)(1 − σ(x))). Φ is evaluated
 * without cancellation in either tail; Ψ's Gaussian left tail is accurate to an absolute
 * error of a few u·σ·φ-scale (it is a difference of two tiny terms).
 * Example: double x = 0, y; smk_mollifier_f64(&x, 1, SMK_KERNEL_LOGISTIC, 1, SMK_PART_RAMP, &y); // ln 2 */
typedef enum smk_kernel {
    SMK_KERNEL_GAUSSIAN = 0,
    SMK_KERNEL_CAUCHY = 1,
    SMK_KERNEL_LOGISTIC = 2
} smk_kernel;

typedef enum smk_kernel_part {
    SMK_PART_PDF = 0,  /* φ  */
    SMK_PART_CDF = 1,  /* Φ  */
    SMK_PART_RAMP = 2  /* Ψ, the antiderivative of Φ with Ψ(−∞) = 0 */
} smk_kernel_part;

SMK_API smk_status smk_mollifier_f32(const float *x, size_t n, smk_kernel kernel, float param, smk_kernel_part part,
                                     float *out);
SMK_API smk_status smk_mollifier_f64(const double *x, size_t n, smk_kernel kernel, double param,
                                     smk_kernel_part part, double *out);

/* ---- Mollified piecewise-linear functions (SPEC §2: step ↦ Φ, ramp ↦ Ψ) ------------------
 * f is described by its leftmost line  intercept + slope·x, and m knots c_j, each with a jump
 * J_j (jumps[j]) and a slope change S_j (slope_changes[j]); either array may be NULL (all 0):
 *   f(x) = intercept + slope·x + Σ_j J_j θ(x − c_j) + Σ_j S_j (x − c_j)_+
 *   (f ∗ φ)(x) = intercept + slope·x + Σ_j J_j Φ(x − c_j) + Σ_j S_j Ψ(x − c_j)
 *   (f ∗ φ)'(x) = slope + Σ_j J_j φ(x − c_j) + Σ_j S_j Φ(x − c_j)        (dy, optional)
 * (lines are invariant under a symmetric kernel with a mean). Cost O(n·m). At x = ±∞ the
 * result is the hard function's limit (the leftmost / rightmost line: ±∞ unless its slope is
 * 0) and dy its slope; NaN gives NaN.
 * Examples: relu: (0, 0, {0}, J {0}, S {1});  |x|: (0, −1, {0}, S {2});  max(x, c): (c, 0, {c}, S {1});
 *   clamp(x, lo, hi): (lo, 0, {lo, hi}, S {1, −1});  staircase ⌊x⌋ on [0, 3): (0, 0, {1, 2}, J {1, 1}).
 * Domain (SMK_ERR_DOMAIN): intercept, slope, knots, jumps and slope changes finite; with CAUCHY
 * (no first moment) slope and every slope change must be 0 (steps only). */
SMK_API smk_status smk_mollify_piecewise_f32(const float *x, size_t n, smk_kernel kernel, float param,
                                             float intercept, float slope, const float *knots, const float *jumps,
                                             const float *slope_changes, size_t m, float *y, float *dy);
SMK_API smk_status smk_mollify_piecewise_f64(const double *x, size_t n, smk_kernel kernel, double param,
                                             double intercept, double slope, const double *knots,
                                             const double *jumps, const double *slope_changes, size_t m,
                                             double *y, double *dy);

/* ---- Smooth floor, ceil, round, sign by convolution (SPEC §2, corrected and windowed) ------
 *   floor:  (⌊·⌋ ∗ φ)(x) = ⌊x⌋ + Σ_{|x − j| ≤ W} (Φ(x − j) − θ(x − j))   (θ(0) = 1)
 *           which equals Σ_{j≥1} Φ(x − j) − Σ_{j≤0} (1 − Φ(x − j)) exactly up to the dropped
 *           tail terms, whose total stays below u/4 (u = 2^-53: the sums run in double).
 *   ceil:   floor + 1 (⌈x⌉ = ⌊x⌋ + 1 almost everywhere);   round: floor(x + ½);
 *   sign:   2Φ(x) − 1 (one jump: no window needed; CAUCHY allowed).
 * The window W, derived per kernel from the tail sum Σ_{j≥0} T(W + j) ≤ T(W) + ∫_W^∞ T with
 * T(d) = 1 − Φ(d) (both sides: twice that):
 *   GAUSSIAN σ:  W = z·σ with 2(Q(z) + σ·φ₁(z)/z²) ≤ u/4 (Mills: ∫_z^∞ Q ≤ φ₁(z)/z²);
 *                σ = 1 → W = 8.5 (17 terms); σ = 3 → W = 25.5.
 *   LOGISTIC t:  W with 2·e^{−tW}(1 + 1/t) ≤ u/4 (1 − σ(d) ≤ e^{−td});  t = 3 → W = 13.5
 *                (t = 1 would need W ≈ 40: the Fourier series below takes over, 2 harmonics).
 * Above a window of SMK_QUANTIZE_MAX_TERMS terms (wide kernels) the Fourier series of the
 * sawtooth is used instead: ⌊x⌋ ∗ φ = x − ½ + Σ_{k≥1} φ̂(2πk)·sin(2πk·frac(x))/(πk), with
 * φ̂ = e^{−2π²k²σ²} (Gaussian) or 2π²k/t / sinh(2π²k/t) (logistic), summed until the next
 * term is below u/4.
 * CAUCHY is rejected for floor/ceil/round (SMK_ERR_DOMAIN): its tails 1 − Φ(d) ~ a/(πd) make the
 * convolution only a principal value (the kernel has no mean) and the dropped terms decay
 * like a/(πW), so no finite window reaches working precision.
 * Example: double x = 0.5, y; smk_smooth_quantize_f64(&x, 1, SMK_QUANT_FLOOR, SMK_KERNEL_GAUSSIAN, 0.1, &y); // 0: half-integers map to ⌊x⌋, integers j to j − ½ */
typedef enum smk_quantizer {
    SMK_QUANT_FLOOR = 0,
    SMK_QUANT_CEIL = 1,
    SMK_QUANT_ROUND = 2,
    SMK_QUANT_SIGN = 3
} smk_quantizer;

/* The largest window (terms per element) before the Fourier series takes over. */
#define SMK_QUANTIZE_MAX_TERMS 64

SMK_API smk_status smk_smooth_quantize_f32(const float *x, size_t n, smk_quantizer q, smk_kernel kernel, float param,
                                           float *y);
SMK_API smk_status smk_smooth_quantize_f64(const double *x, size_t n, smk_quantizer q, smk_kernel kernel,
                                           double param, double *y);

/* ---- Smooth classification metrics from logits (SPEC §2), with gradients -----------------
 * Probabilities are the softmax of each logit row (p_r = softmax(z_r), τ = 1) or, for binary
 * F1, p_i = σ(z_i). Labels are class indices. These are metrics to maximise: use 1 − metric
 * (gradient −grad) as a loss.
 *   smooth accuracy   A = (1/B) Σ_r p_{r,y_r},  fused: p_{r,y} = exp(z_{r,y} − L(z_r))
 *                     ∂A/∂z_{r,j} = (1/B)·p_{r,y}·([j = y_r] − p_{r,j})
 *   binary F1         F = 2 Σ p_i y_i / Σ (p_i + y_i),   y_i ∈ {0, 1}
 *                     ∂F/∂z_i = p_i(1 − p_i)·(2y_i − F)/Σ(p + y);  F = 0 (and grad 0) when n = 0
 *   macro F1          per class c: TP_c = Σ_r p_{r,c}[y_r = c], P_c = Σ_r p_{r,c}, Y_c = #{y_r = c};
 *                     F1_c = 2TP_c/(2TP_c + FP_c + FN_c) = 2TP_c/(P_c + Y_c);  M = (1/C) Σ_c F1_c
 *                     G_{r,c} = ∂M/∂p_{r,c} = (1/C)(2[y_r = c] − F1_c)/(P_c + Y_c),
 *                     ∂M/∂z_r = p_r ⊙ (G_r − ⟨G_r, p_r⟩)   (softmax's vector–Jacobian product)
 * B = rows, C = cols. grad (rows × cols with ldg, or n) is optional (NULL: value only) and may
 * not alias the logits. macro F1 needs `work`: 3·cols doubles of caller scratch (no entry point
 * allocates). Logit rows with NaN or +∞ entries give NaN (the metric and the row's gradient).
 * Errors: labels out of range (not in [0, cols), or not 0/1 for binary F1) → SMK_ERR_DOMAIN,
 * nothing written; rows == 0 (n == 0 for binary F1: F = 0) writes only the metric for F1 and
 * nothing for accuracy / macro F1. Other rules as above (no parameter to check).
 * Example:
 *   float z[2][2] = {{2, 0}, {0, 2}}; int64_t y[2] = {0, 0}; float acc;
 *   smk_smooth_accuracy_f32(&z[0][0], 2, 2, 2, y, &acc, NULL, 0);  // (σ(2) + σ(−2))/2 = 0.5 */
SMK_API smk_status smk_smooth_accuracy_f32(const float *logits, size_t rows, size_t cols, size_t ld,
                                           const int64_t *labels, float *acc, float *grad, size_t ldg);
SMK_API smk_status smk_smooth_accuracy_f64(const double *logits, size_t rows, size_t cols, size_t ld,
                                           const int64_t *labels, double *acc, double *grad, size_t ldg);
SMK_API smk_status smk_smooth_f1_f32(const float *logits, size_t n, const int64_t *labels, float *f1, float *grad);
SMK_API smk_status smk_smooth_f1_f64(const double *logits, size_t n, const int64_t *labels, double *f1,
                                     double *grad);
SMK_API smk_status smk_smooth_macro_f1_f32(const float *logits, size_t rows, size_t cols, size_t ld,
                                           const int64_t *labels, double *work, float *f1, float *grad,
                                           size_t ldg);
SMK_API smk_status smk_smooth_macro_f1_f64(const double *logits, size_t rows, size_t cols, size_t ld,
                                           const int64_t *labels, double *work, double *f1, double *grad,
                                           size_t ldg);

/* ---- Bounds as API ------------------------------------------------------------------------
 * The gap of a smoothing f_μ from its hard function f:  f − below ≤ f_μ ≤ f + above, for every
 * input, as a function of its parameter (and, for row maxima, the row length n and its max m:
 * the power max's gap is relative, (n^{1/p} − 1)·m, and the log-log max's depends on m).
 * For a smooth minimum swap below and above (and pass −min as m).
 * The *_param functions return the smoothest parameter whose worst gap max(below, above) is
 * max_error: closed forms, or a bisection on a log scale (Boltzmann with n ≠ 2 closed too;
 * power, log-log); SMK_ERR_DOMAIN when no parameter reaches it (log-log far below 0).
 * Errors: param or max_error not finite and > 0 → SMK_ERR_TEMPERATURE; NULL out → SMK_ERR_NULL;
 * unknown kind → SMK_ERR_DOMAIN.
 * Example: smk_gap g; smk_smooth_abs_gap(SMK_ABS_LOGCOSH, 10, &g);   // g = {0, ln2/10} */
typedef struct smk_gap {
    double below; /* f − below ≤ f_μ */
    double above; /* f_μ ≤ f + above */
} smk_gap;

/* max_t t·erfc(t) = 0.2403755868… (at t = 0.53160): the erf smoothings' gap scale. */
#define SMK_T_ERFC_MAX 0.24037558683101101677
/* W(1/e) = 0.2784645427… = max_d d/(1 + e^d): the two-entry Boltzmann gap, times 1/β. */
#define SMK_LAMBERT_W_INV_E 0.27846454276107379511

SMK_API smk_status smk_smooth_abs_gap(smk_abs_kind kind, double param, smk_gap *gap);
SMK_API smk_status smk_smooth_max_gap(smk_max_kind kind, double param, size_t n, double m, smk_gap *gap);
SMK_API smk_status smk_smooth_max2_gap(smk_pair_kind kind, double param, smk_gap *gap);
SMK_API smk_status smk_smooth_abs_param(smk_abs_kind kind, double max_error, double *param);
SMK_API smk_status smk_smooth_max_param(smk_max_kind kind, double max_error, size_t n, double m, double *param);
SMK_API smk_status smk_smooth_max2_param(smk_pair_kind kind, double max_error, double *param);

#ifdef __cplusplus
}
#endif

#endif /* SMOOTHKIT_CATALOG_H */
