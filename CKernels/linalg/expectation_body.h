/* Softmax expectation E = softmax(X/τ)·V (smoothkit_linalg.h), written once for the element
 * type LT; included by linalg.c per type. Blocked: the block's softmax (row kernel) into the
 * workspace, then one GEMM per block. */

size_t LA_FN(softmax_expectation_workspace)(size_t rows, size_t n) {
    size_t total = 0;
    if (rows == 0 || n == 0) return 0;
    (void)la_part(&total, la_block_rows(rows, n) * n, sizeof(LT));
    return total;
}

smk_status LA_FN(softmax_expectation)(const LT *x, size_t rows, size_t n, size_t ldx, LT t, const LT *v,
                                      size_t d, size_t ldv, LT *e, size_t lde, void *work,
                                      size_t work_bytes) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, n, ldx, sizeof(LT)) || !smk_extent_ok(rows, d, lde, sizeof(LT)) ||
        (n > 0 && !smk_extent_ok(n, d, ldv, sizeof(LT))) || !la_int_ok(n) || !la_int_ok(d) ||
        !la_int_ok(ldv) || !la_int_ok(lde))
        return SMK_ERR_SHAPE;
    if (!e || (n > 0 && !x) || (n > 0 && d > 0 && !v)) return SMK_ERR_NULL;
    if (d == 0) return SMK_OK;
    if (n == 0) { /* the empty sum */
        for (size_t r = 0; r < rows; ++r) memset(e + r * lde, 0, d * sizeof(LT));
        return SMK_OK;
    }
    char *base;
    void *owned;
    smk_status st = la_workspace(work, work_bytes, LA_FN(softmax_expectation_workspace)(rows, n),
                                 _Alignof(LT), &base, &owned);
    if (st != SMK_OK) return st;
    LT *p = (LT *)base;
    const size_t block = la_block_rows(rows, n);
    for (size_t r0 = 0; r0 < rows; r0 += block) {
        const size_t nb = rows - r0 < block ? rows - r0 : block;
        LA_K(softmax)(x + r0 * ldx, nb, n, ldx, t, p, n);
        LA_GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)nb, (int)d, (int)n, (LT)1, p, (int)n, v,
                (int)ldv, (LT)0, e + r0 * lde, (int)lde);
    }
    free(owned);
    return SMK_OK;
}
