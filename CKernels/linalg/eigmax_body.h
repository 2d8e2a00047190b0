/* Smooth largest eigenvalue τ·log Σ exp(λ_i/τ) of a batch of symmetric matrices and its
 * gradient U·diag(softmax(λ/τ))·Uᵀ (smoothkit_linalg.h), written once for the element type LT;
 * included by linalg.c per type. */

/* The workspace of one call, as offsets into it (see LA_FN(eigmax_layout)). */
#ifndef LA_EIGMAX_LAYOUT_DEFINED
#define LA_EIGMAX_LAYOUT_DEFINED
typedef struct {
    size_t copy, lambda, weights, work, stage_out, stage_grad, iwork; /* byte offsets */
    size_t lwork, liwork;                                             /* SYEVD's lengths */
    size_t total;                                                     /* bytes, SIZE_MAX on overflow */
} la_eigmax_layout;

/* SYEVD's minimal workspace lengths (LAPACK's documentation of ?syevd): with eigenvectors
 * 1 + 6n + 2n² reals and 3 + 5n ints, eigenvalues only 2n + 1 reals and 1 int; 1 and 1 for
 * n ≤ 1. SIZE_MAX when the count overflows. */
static void la_syevd_lengths(size_t n, int vectors, size_t *lwork, size_t *liwork) {
    size_t n2;
    if (n <= 1) {
        *lwork = *liwork = 1;
    } else if (!vectors) {
        *lwork = 2 * n + 1;
        *liwork = 1;
    } else if (__builtin_mul_overflow(n, n, &n2) || __builtin_mul_overflow(n2, 2, &n2) ||
               __builtin_add_overflow(n2, 6 * n + 1, lwork)) {
        *lwork = *liwork = SIZE_MAX;
    } else {
        *liwork = 3 + 5 * n;
    }
}
#endif

/* Parts: the copy of one matrix (SYEVD overwrites it with U), λ, softmax(λ/τ), SYEVD's real
 * workspace, the staged out[batch] and (with grad) staged gradients batch·n², SYEVD's ints. */
static la_eigmax_layout LA_CAT(la_eigmax_layout_, LSUF)(size_t batch, size_t n, int with_grad) {
    la_eigmax_layout l = {0};
    size_t n2 = SIZE_MAX, staged = SIZE_MAX;
    if (!__builtin_mul_overflow(n, n, &n2) && __builtin_mul_overflow(n2, batch, &staged)) staged = SIZE_MAX;
    la_syevd_lengths(n, with_grad, &l.lwork, &l.liwork);
    l.copy = la_part(&l.total, n2, sizeof(LT));
    l.lambda = la_part(&l.total, n, sizeof(LT));
    l.weights = la_part(&l.total, n, sizeof(LT));
    l.work = la_part(&l.total, l.lwork, sizeof(LT));
    l.stage_out = la_part(&l.total, batch, sizeof(LT));
    l.stage_grad = la_part(&l.total, with_grad ? staged : 0, sizeof(LT));
    l.iwork = la_part(&l.total, l.liwork, sizeof(lapack_int));
    return l;
}

size_t LA_FN(smooth_eigmax_workspace)(size_t batch, size_t n, int with_grad) {
    if (batch == 0 || n == 0) return 0;
    return LA_CAT(la_eigmax_layout_, LSUF)(batch, n, with_grad != 0).total;
}

/* Checks the entries of one matrix that will be read: finite, and (CHECK) symmetric within
 * tol·max|a_kl|. */
static smk_status LA_CAT(la_eigmax_check_, LSUF)(const LT *a, size_t n, size_t lda, smk_symmetry sym, LT tol) {
    LT amax = 0;
    for (size_t i = 0; i < n; ++i) {
        const size_t cols = sym == SMK_SYMMETRY_CHECK ? n : i + 1;
        for (size_t j = 0; j < cols; ++j) {
            const LT aij = a[i * lda + j];
            if (!isfinite(aij)) return SMK_ERR_DOMAIN;
            if (LA_FABS(aij) > amax) amax = LA_FABS(aij);
        }
    }
    if (sym == SMK_SYMMETRY_CHECK)
        for (size_t i = 1; i < n; ++i)
            for (size_t j = 0; j < i; ++j)
                if (!(LA_FABS(a[i * lda + j] - a[j * lda + i]) <= tol * amax)) return SMK_ERR_DOMAIN;
    return SMK_OK;
}

/* One matrix: eigen-decomposition of the lower triangle, L = logsumexp(λ) into *out and, when
 * g != NULL, the lower triangle of Σ p_i u_i u_iᵀ (column-major, ld n) into g. Returns SYEVD's
 * info (0 = success). */
static lapack_int LA_CAT(la_eigmax_one_, LSUF)(const LT *a, size_t n, size_t lda, LT t, char *base,
                                               const la_eigmax_layout *l, LT *out, LT *g) {
    LT *u = (LT *)(base + l->copy), *lambda = (LT *)(base + l->lambda), *p = (LT *)(base + l->weights);
    /* Row-major lower triangle (j ≤ i) → column-major lower triangle: u[i + j·n] = a_ij. */
    for (size_t j = 0; j < n; ++j)
        for (size_t i = j; i < n; ++i) u[i + j * n] = a[i * lda + j];
    /* Column-major input, so LAPACKE transposes (and allocates) nothing. */
    lapack_int info = LA_SYEVD(LAPACK_COL_MAJOR, g ? 'V' : 'N', 'L', (lapack_int)n, u, (lapack_int)n, lambda,
                               (LT *)(base + l->work), (lapack_int)l->lwork, (lapack_int *)(base + l->iwork),
                               (lapack_int)l->liwork);
    if (info != 0) return info;
    LA_K(logsumexp)(lambda, 1, n, n, t, out);
    if (!g) return 0;
    /* p = softmax(λ/τ) is nondecreasing (λ ascending), so the p_i == 0 are a prefix: skip them.
     * Σ p_i u_i u_iᵀ = Ũ·Ũᵀ with Ũ = columns k0… of U scaled by √p_i: one SYRK. */
    LA_K(softmax)(lambda, 1, n, n, t, p, n);
    size_t k0 = 0;
    while (k0 < n && p[k0] == 0) ++k0;
    for (size_t i = k0; i < n; ++i) {
        const LT s = LA_SQRT(p[i]);
        for (size_t r = 0; r < n; ++r) u[r + i * n] *= s;
    }
    LA_SYRK(CblasColMajor, CblasLower, CblasNoTrans, (int)n, (int)(n - k0), (LT)1, u + k0 * n, (int)n, (LT)0, g,
            (int)n);
    return 0;
}

smk_status LA_FN(smooth_eigmax)(const LT *a, size_t batch, size_t n, size_t lda, LT t, smk_symmetry symmetry,
                                LT tol, LT *out, LT *grad, size_t ldg, void *work, size_t work_bytes) {
    if (batch == 0) return SMK_OK;
    if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;
    size_t rows;
    if (__builtin_mul_overflow(batch, n, &rows)) return SMK_ERR_SHAPE;
    const int with_grad = grad != NULL;
    la_eigmax_layout l = LA_CAT(la_eigmax_layout_, LSUF)(batch, n, with_grad);
    if (n > 0 && (!smk_extent_ok(rows, n, lda, sizeof(LT)) || (with_grad && !smk_extent_ok(rows, n, ldg, sizeof(LT))) ||
                  !la_int_ok(n) || !la_int_ok(l.lwork) || !la_int_ok(l.liwork)))
        return SMK_ERR_SHAPE;
    if (!out || (n > 0 && !a)) return SMK_ERR_NULL;
    if (symmetry != SMK_SYMMETRY_LOWER && symmetry != SMK_SYMMETRY_CHECK) return SMK_ERR_DOMAIN;
    if (symmetry == SMK_SYMMETRY_CHECK && !(isfinite(tol) && tol >= 0)) return SMK_ERR_DOMAIN;
    if (n == 0) { /* the empty logsumexp */
        for (size_t b = 0; b < batch; ++b) out[b] = -(LT)INFINITY;
        return SMK_OK;
    }
    for (size_t b = 0; b < batch; ++b) {
        smk_status st = LA_CAT(la_eigmax_check_, LSUF)(a + b * n * lda, n, lda, symmetry, tol);
        if (st != SMK_OK) return st;
    }
    char *base;
    void *owned;
    smk_status st = la_workspace(work, work_bytes, l.total, _Alignof(LT), &base, &owned);
    if (st != SMK_OK) return st;
    /* Stage every result; copy out only when the whole batch succeeded. */
    LT *stage_out = (LT *)(base + l.stage_out), *stage_grad = (LT *)(base + l.stage_grad);
    for (size_t b = 0; b < batch; ++b) {
        if (LA_CAT(la_eigmax_one_, LSUF)(a + b * n * lda, n, lda, t, base, &l, stage_out + b,
                                         with_grad ? stage_grad + b * n * n : NULL) != 0) {
            free(owned);
            return SMK_ERR_COMPUTE;
        }
    }
    memcpy(out, stage_out, batch * sizeof(LT));
    if (with_grad)
        for (size_t b = 0; b < batch; ++b) {
            const LT *g = stage_grad + b * n * n; /* column-major lower triangle */
            LT *dst = grad + b * n * ldg;
            for (size_t i = 0; i < n; ++i)
                for (size_t j = 0; j < n; ++j) dst[i * ldg + j] = i >= j ? g[i + j * n] : g[j + i * n];
        }
    free(owned);
    return SMK_OK;
}
