/*
 * smoothkit_linalg.h — SmoothKit ops built on OpenBLAS (CBLAS) and LAPACKE.
 * Included by smoothkit.h; do not include it on its own.
 *
 *   op                          computes (τ > 0 the temperature)
 *   softmax_expectation         E = softmax(X/τ)·V, row by row: E[r,:] = Σ_i p_ri V[i,:]
 *   smooth_eigmax               per symmetric A: τ·log Σ_i exp(λ_i(A)/τ), optional gradient
 *                               U·diag(softmax(λ/τ))·Uᵀ
 *   spatial_softargmax          per heat map: expected (x, y) under softmax(map/τ), and its VJP
 *
 * Threads. Unlike the row kernels of smoothkit.h, these entry points call OpenBLAS (GEMM, SYRK)
 * and LAPACK (SYEVD), which may run on OpenBLAS's own thread pool. The number of threads is
 * OpenBLAS's global setting: by default the number of cores (or the environment variable
 * OPENBLAS_NUM_THREADS, read when the library loads); a program changes it with
 * openblas_set_num_threads(k) from <cblas.h> (k = 1 makes every call run on the calling thread).
 * SmoothKit never reads or changes that setting: it is process-wide, and changing it behind a
 * caller's back would race with the caller's own BLAS calls. The entry points are reentrant
 * and may be called from several threads at once: the threaded OpenBLAS builds (Debian's
 * openblas-pthread here) lock their shared buffers, which also means concurrent BLAS calls are
 * largely serialised; single-threaded OpenBLAS builds ≥ 0.3.7 need USE_LOCKING=1 for this.
 *
 * Workspace. Each op has a *_workspace_* query returning the bytes of scratch it needs for a
 * shape. Pass `work` (aligned for the element type, as malloc's memory is) with `work_bytes` at
 * least that size; or pass work = NULL (work_bytes ignored) and the op mallocs that much and frees
 * it before returning. A failed malloc returns SMK_ERR_COMPUTE with nothing written. A work
 * buffer smaller than the query's answer, or misaligned, is SMK_ERR_SHAPE. work must not overlap
 * any argument. A query returns SIZE_MAX when the size does not fit in size_t.
 *
 * Limits. BLAS and LAPACK index with 32-bit int: the inner sizes below (n, d, ld's passed to
 * BLAS, the LAPACK workspace lengths) must not exceed INT_MAX, else SMK_ERR_SHAPE. Row and batch
 * counts are processed in blocks and have no such limit.
 *
 * As everywhere in SmoothKit: on any error a status code is returned and not one element of
 * any output is written.
 */
#ifndef SMOOTHKIT_LINALG_H
#define SMOOTHKIT_LINALG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Softmax expectation --------------------------------------------------------------
 * E = softmax(X/τ)·V for X rows × n (row-major, ldx ≥ n), V n × d (ldv ≥ d), E rows × d
 * (lde ≥ d):   E[r, j] = Σ_i p_ri · V[i, j],   p_r = softmax(X[r, :]/τ)   (SPEC §1 softmax).
 *
 * Computed in blocks of up to 256 rows: the block's softmax (the active row kernel, with every
 * edge case of SPEC §1) goes into the workspace, then one cblas_sgemm/dgemm writes the block of
 * E. No more than one block of probabilities (block_rows × n) is ever held; the block shrinks
 * for long rows so it holds at most max(2^21, n) elements (one row when n > 2^21).
 *
 * Edge rows (from the softmax): a NaN in X[r] → E[r] all NaN; k entries +∞ → the mean of those
 * k rows of V; a fully masked row (all −∞) → E[r] = 0 (masked attention pooling gives zero,
 * where smk_softargmax gives NaN: the product has no way to signal "no position");
 * n == 0 → E = 0. Entries of V enter a matrix product: an ∞ or NaN in V[i] makes E[r] NaN
 * even where p_ri == 0 (0·∞ = NaN), exactly as in the naive product.
 *
 * Soft-argmax is the case d = 1, V = (0, 1, …, n−1)ᵀ; vector-valued V gives weighted
 * centroids and attention-style pooling.
 *
 * Accuracy: |E − E_exact|[r, j] ≤ (n + 8)·u·Σ_i p_ri·|V[i, j]| (the softmax's 8u relative error
 * plus the standard bound of a length-n dot product; blocked BLAS sums are usually far below:
 * on random data within 8(1 + √n)·u·Σ_i p_ri·|V[i, j]|, which the tests check).
 *
 * Arguments (else the status, nothing written):
 *   t finite and > 0                                                  SMK_ERR_TEMPERATURE
 *   ldx ≥ n, ldv ≥ d, lde ≥ d, every extent ≤ PTRDIFF_MAX bytes, n, d, ldv, lde ≤ INT_MAX,
 *   work_bytes ≥ the query (when work != NULL), work aligned           SMK_ERR_SHAPE
 *   e non-null when rows > 0, x when rows·n > 0, v when n·d > 0       SMK_ERR_NULL
 *   malloc failed (work == NULL)                                       SMK_ERR_COMPUTE
 * rows == 0 or d == 0 is valid and writes nothing. E must not overlap X, V or work.
 *
 * Example (soft-argmax of one row, as a product):
 *   float x[4] = {0, 0, 10, 10}, pos[4] = {0, 1, 2, 3}, a;
 *   smk_softmax_expectation_f32(x, 1, 4, 4, 1.0f, pos, 1, 1, &a, 1, NULL, 0);   // a ≈ 2.5
 */
SMK_API size_t smk_softmax_expectation_workspace_f32(size_t rows, size_t n);
SMK_API size_t smk_softmax_expectation_workspace_f64(size_t rows, size_t n);
SMK_API smk_status smk_softmax_expectation_f32(const float *x, size_t rows, size_t n, size_t ldx, float t,
                                               const float *v, size_t d, size_t ldv, float *e, size_t lde,
                                               void *work, size_t work_bytes);
SMK_API smk_status smk_softmax_expectation_f64(const double *x, size_t rows, size_t n, size_t ldx, double t,
                                               const double *v, size_t d, size_t ldv, double *e, size_t lde,
                                               void *work, size_t work_bytes);

/* ---- Smooth largest eigenvalue ----------------------------------------------------------
 * For each symmetric n × n matrix A_b of a batch, with eigenvalues λ_1 ≤ … ≤ λ_n and
 * orthonormal eigenvectors U = (u_1 … u_n):
 *   out[b]  = L_τ(λ) = λ_n + τ·log Σ_i exp((λ_i − λ_n)/τ)     (the logsumexp row kernel on λ)
 *   grad_b  = ∂L/∂A = U·diag(p)·Uᵀ = Σ_i p_i u_i u_iᵀ,   p = softmax(λ/τ)
 * Bounds: λ_max ≤ L_τ ≤ λ_max + τ·log n. The gradient is symmetric positive semidefinite with
 * trace 1; it is the derivative for symmetric perturbations, dL = Σ_ij grad_ij·dA_ij. (If you
 * parametrise A by its lower triangle, the derivative by an off-diagonal a_ij is 2·grad_ij.)
 * L_τ is smooth even where eigenvalues coincide.
 *
 * Layout: the batch is stacked vertically, a (batch·n) × n row-major matrix with lda ≥ n;
 * A_b is rows b·n … b·n + n − 1. grad (optional, NULL to skip) has the same layout with ldg ≥ n.
 * out has batch elements. n == 0 gives out = −∞ (the empty logsumexp).
 *
 * Computed with LAPACKE_ssyevd_work / dsyevd_work (divide and conquer; eigenvectors only when
 * grad is requested) on a copy of the triangle (LAPACK overwrites its input), logsumexp and
 * softmax of λ by the row kernels, and grad = (U·diag(√p))(U·diag(√p))ᵀ by one SYRK over the
 * eigenvectors with p_i > 0 only (a rank-1 update when τ is small).
 * Accuracy: SYEVD's backward-stable eigenvalues, |λ_i − λ_i,exact| ≲ n·u·‖A‖₂, plus the
 * logsumexp's 8u·max(|L|, τ).
 *
 * symmetry:
 *   SMK_SYMMETRY_LOWER  trust the lower triangle (j ≤ i); the strict upper triangle is never
 *                       read (it may hold anything, NaN included). tol is ignored.
 *   SMK_SYMMETRY_CHECK  read all of A_b and require |a_ij − a_ji| ≤ tol·max_kl |a_kl| for all
 *                       i, j (tol finite and ≥ 0; tol = 0 demands exact symmetry); then the
 *                       lower triangle is used.
 * Every input check runs over the whole batch before anything is computed, and results are
 * staged in the workspace and copied out only when every matrix succeeded, so an error at
 * matrix k leaves out and grad untouched.
 *
 * Arguments (else the status, nothing written):
 *   t finite and > 0                                                  SMK_ERR_TEMPERATURE
 *   lda ≥ n, ldg ≥ n (grad != NULL), extents ≤ PTRDIFF_MAX bytes, SYEVD's sizes ≤ INT_MAX
 *   (n ≤ 32 765), work_bytes ≥ the query (work != NULL), work aligned  SMK_ERR_SHAPE
 *   out non-null when batch > 0, a non-null when batch·n > 0          SMK_ERR_NULL
 *   a NaN or ±∞ in an entry that is read; an asymmetric A_b (CHECK); tol not finite and ≥ 0
 *   (CHECK); symmetry not one of the enum values                       SMK_ERR_DOMAIN
 *   SYEVD returned info ≠ 0 (did not converge), or malloc failed       SMK_ERR_COMPUTE
 * batch == 0 is valid and writes nothing. out and grad must not overlap a or work.
 *
 * Example:
 *   double a[2][2] = {{2, 1}, {1, 2}}, l, g[2][2];          // λ = {1, 3}
 *   smk_smooth_eigmax_f64(&a[0][0], 1, 2, 2, 0.5, SMK_SYMMETRY_CHECK, 0.0, &l, &g[0][0], 2,
 *                         NULL, 0);
 *   // l = 3 + 0.5·log(1 + e^-4) ≈ 3.009075; g ≈ {{0.5, 0.482}, {0.482, 0.5}} (trace 1)
 */
typedef enum smk_symmetry {
    SMK_SYMMETRY_LOWER = 0, /* use the lower triangle, never read the strict upper one */
    SMK_SYMMETRY_CHECK = 1  /* verify |A − Aᵀ| ≤ tol·max|A| elementwise, then use the lower triangle */
} smk_symmetry;

SMK_API size_t smk_smooth_eigmax_workspace_f32(size_t batch, size_t n, int with_grad);
SMK_API size_t smk_smooth_eigmax_workspace_f64(size_t batch, size_t n, int with_grad);
SMK_API smk_status smk_smooth_eigmax_f32(const float *a, size_t batch, size_t n, size_t lda, float t,
                                         smk_symmetry symmetry, float tol, float *out, float *grad,
                                         size_t ldg, void *work, size_t work_bytes);
SMK_API smk_status smk_smooth_eigmax_f64(const double *a, size_t batch, size_t n, size_t lda, double t,
                                         smk_symmetry symmetry, double tol, double *out, double *grad,
                                         size_t ldg, void *work, size_t work_bytes);

/* ---- 2-D spatial soft-argmax -----------------------------------------------------------
 * For each h × w heat map X (a B × C × H × W tensor in NCHW order is maps = B·C of them), the
 * expected position under p = softmax(X/τ) taken over all h·w pixels (SPEC §1 softmax):
 *   xy[2k] = Σ_ij p_ij·cx_j,   xy[2k + 1] = Σ_ij p_ij·cy_i      (x is the column, y the row)
 * with coordinates chosen by `coords`:
 *   SMK_COORDS_PIXEL       cx_j = j, cy_i = i (zero-based pixel indices: kornia's
 *                          spatial_soft_argmax2d(normalized_coordinates=False))
 *   SMK_COORDS_NORMALIZED  cx_j = −1 + 2j/(w − 1), cy_i = −1 + 2i/(h − 1): pixel centres at the
 *                          edges of [−1, 1], kornia's create_meshgrid(normalized_coordinates=True)
 *                          and torch's grid_sample(align_corners=True). For w == 1 (h == 1) the
 *                          only pixel is at x = 0 (y = 0), the centre; kornia's formula is 0/0.
 * kornia's `temperature` multiplies the map: kornia temperature β is τ = 1/β here. Output order
 * (x, y) as in kornia.
 *
 * Edge maps: a NaN → (NaN, NaN); k entries +∞ → the mean position of those k pixels; all −∞
 * (fully masked) or h·w == 0 → (NaN, NaN), as soft-argmax gives NaN: no position is defined.
 * Accuracy: |err| ≤ (h + w + 10)·u·R per coordinate, R = max(w, h) − 1 in pixels, 2 normalised
 * (the softmax's 8u, then row sums and a sum over rows).
 *
 * Map k starts at heat + k·ldh (ldh ≥ h·w; ldh = h·w for a contiguous tensor); the pixels of one
 * map are contiguous, row-major. xy has 2·maps elements. Work: one map of probabilities,
 * smk_spatial_softargmax_workspace_*(h, w) bytes (see "Workspace" above).
 *
 * Gradient (vector–Jacobian product): given upstream (gx, gy) per map in gxy, writes
 *   dheat_ij = p_ij·(gx·(cx_j − x) + gy·(cy_i − y))/τ
 * into map k of dheat (at dheat + k·ldd, ldd ≥ h·w). dheat may be heat itself (ldd == ldh): in
 * place; any other overlap is undefined. It needs no workspace. Edge maps: +∞ entries → 0
 * everywhere (the position does not move under finite changes); NaN or fully masked → all NaN.
 *
 * Arguments (else the status, nothing written):
 *   t finite and > 0                                                  SMK_ERR_TEMPERATURE
 *   h·w overflows, ldh < h·w, ldd < h·w, an extent past PTRDIFF_MAX, work too small or
 *   misaligned                                                        SMK_ERR_SHAPE
 *   xy / gxy non-null when maps > 0; heat, dheat non-null when maps·h·w > 0   SMK_ERR_NULL
 *   coords not one of the enum values                                  SMK_ERR_DOMAIN
 *   malloc failed (work == NULL)                                       SMK_ERR_COMPUTE
 * maps == 0 is valid and writes nothing.
 *
 * Example (one 2 × 3 map, τ = 1: e = (1, 1, 1; 1, 1, 7)/12, so x = 18/12, y = 9/12):
 *   float map[6] = {0, 0, 0, 0, 0, logf(7)}, xy[2];
 *   smk_spatial_softargmax_f32(map, 1, 2, 3, 6, 1.0f, SMK_COORDS_PIXEL, xy, NULL, 0);       // (1.5, 0.75)
 *   smk_spatial_softargmax_f32(map, 1, 2, 3, 6, 1.0f, SMK_COORDS_NORMALIZED, xy, NULL, 0);  // (0.5, 0.5)
 */
typedef enum smk_coords {
    SMK_COORDS_PIXEL = 0,     /* zero-based pixel indices */
    SMK_COORDS_NORMALIZED = 1 /* [−1, 1], pixel centres at the edges (align_corners = True) */
} smk_coords;

SMK_API size_t smk_spatial_softargmax_workspace_f32(size_t h, size_t w);
SMK_API size_t smk_spatial_softargmax_workspace_f64(size_t h, size_t w);
SMK_API smk_status smk_spatial_softargmax_f32(const float *heat, size_t maps, size_t h, size_t w, size_t ldh,
                                              float t, smk_coords coords, float *xy, void *work, size_t work_bytes);
SMK_API smk_status smk_spatial_softargmax_f64(const double *heat, size_t maps, size_t h, size_t w, size_t ldh,
                                              double t, smk_coords coords, double *xy, void *work, size_t work_bytes);
SMK_API smk_status smk_spatial_softargmax_grad_f32(const float *heat, size_t maps, size_t h, size_t w, size_t ldh,
                                                   float t, smk_coords coords, const float *gxy, float *dheat,
                                                   size_t ldd);
SMK_API smk_status smk_spatial_softargmax_grad_f64(const double *heat, size_t maps, size_t h, size_t w, size_t ldh,
                                                   double t, smk_coords coords, const double *gxy, double *dheat,
                                                   size_t ldd);

#ifdef __cplusplus
}
#endif

#endif /* SMOOTHKIT_LINALG_H */
