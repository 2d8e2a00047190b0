/* 2-D spatial soft-argmax of heat maps and its vector–Jacobian product
 * (smoothkit_linalg.h), written once for the element type LT; included by linalg.c per type.
 * Each map is one row of h·w for the softmax row kernel; the expected position comes from
 * its row and column marginals. */

#ifndef LA_SPATIAL_HELPERS_DEFINED
#define LA_SPATIAL_HELPERS_DEFINED
/* The step between neighbouring pixel coordinates along an axis of `len` pixels: 1 in pixel
 * coordinates; 2/(len − 1) in normalised ones (kornia: x_j = −1 + 2j/(W − 1)); 0 when len == 1,
 * where the single pixel sits at the centre, 0 (kornia's formula is 0/0 there). */
static double la_coord_step(smk_coords coords, size_t len) {
    if (coords == SMK_COORDS_PIXEL) return 1;
    return len > 1 ? 2.0 / (double)(len - 1) : 0;
}
/* The coordinate of the first pixel: 0 (pixel) or −1 (normalised; 0 when len == 1). */
static double la_coord_origin(smk_coords coords, size_t len) {
    return coords == SMK_COORDS_NORMALIZED && len > 1 ? -1 : 0;
}
#endif

/* Expected zero-based (column, row) indices under p (h × w, summing to 1): row sums first (W
 * terms each), then over rows, in double (float) or with compensation per row (double), so
 * the error stays (h + w)·u of the result. NaN if p sums to 0 (a fully masked map). */
static void LA_CAT(la_spatial_mean_, LSUF)(const LT *p, size_t h, size_t w, double *xi, double *yi) {
    double sx = 0, sy = 0, total = 0;
    for (size_t i = 0; i < h; ++i) {
        double row = 0, rowx = 0;
        for (size_t j = 0; j < w; ++j) {
            row += (double)p[i * w + j];
            rowx += (double)p[i * w + j] * (double)j;
        }
        total += row;
        sx += rowx;
        sy += row * (double)i;
    }
    *xi = total > 0 ? sx : NAN;
    *yi = total > 0 ? sy : NAN;
    if (isnan(total)) *xi = *yi = NAN;
}

size_t LA_FN(spatial_softargmax_workspace)(size_t h, size_t w) {
    size_t hw, total = 0;
    if (__builtin_mul_overflow(h, w, &hw)) return SIZE_MAX;
    (void)la_part(&total, hw, sizeof(LT));
    return total;
}

/* Shared argument checks of the forward and the gradient (the order of smoothkit.h). */
static smk_status LA_CAT(la_spatial_check_, LSUF)(size_t maps, size_t h, size_t w, size_t ldh, LT t,
                                                 smk_coords coords, size_t *hw) {
    if (!smk_temperature_ok((double)t)) return SMK_ERR_TEMPERATURE;
    if (__builtin_mul_overflow(h, w, hw) || !smk_extent_ok(maps, *hw, ldh, sizeof(LT))) return SMK_ERR_SHAPE;
    if (coords != SMK_COORDS_PIXEL && coords != SMK_COORDS_NORMALIZED) return SMK_ERR_DOMAIN;
    return SMK_OK;
}

smk_status LA_FN(spatial_softargmax)(const LT *heat, size_t maps, size_t h, size_t w, size_t ldh, LT t,
                                     smk_coords coords, LT *xy, void *work, size_t work_bytes) {
    if (maps == 0) return SMK_OK;
    size_t hw;
    smk_status st = LA_CAT(la_spatial_check_, LSUF)(maps, h, w, ldh, t, coords, &hw);
    if (st != SMK_OK) return st;
    if (!xy || (hw > 0 && !heat)) return SMK_ERR_NULL;
    if (hw == 0) { /* no pixel: no position */
        for (size_t k = 0; k < 2 * maps; ++k) xy[k] = (LT)NAN;
        return SMK_OK;
    }
    char *base;
    void *owned;
    st = la_workspace(work, work_bytes, LA_FN(spatial_softargmax_workspace)(h, w), _Alignof(LT), &base, &owned);
    if (st != SMK_OK) return st;
    LT *p = (LT *)base;
    const double stepx = la_coord_step(coords, w), stepy = la_coord_step(coords, h);
    const double orgx = la_coord_origin(coords, w), orgy = la_coord_origin(coords, h);
    for (size_t k = 0; k < maps; ++k) {
        double xi, yi;
        LA_K(softmax)(heat + k * ldh, 1, hw, hw, t, p, hw);
        LA_CAT(la_spatial_mean_, LSUF)(p, h, w, &xi, &yi);
        xy[2 * k] = (LT)(orgx + stepx * xi);
        xy[2 * k + 1] = (LT)(orgy + stepy * yi);
    }
    free(owned);
    return SMK_OK;
}

smk_status LA_FN(spatial_softargmax_grad)(const LT *heat, size_t maps, size_t h, size_t w, size_t ldh, LT t,
                                          smk_coords coords, const LT *gxy, LT *dheat, size_t ldd) {
    if (maps == 0) return SMK_OK;
    size_t hw;
    smk_status st = LA_CAT(la_spatial_check_, LSUF)(maps, h, w, ldh, t, coords, &hw);
    if (st != SMK_OK) return st;
    if (!smk_extent_ok(maps, hw, ldd, sizeof(LT))) return SMK_ERR_SHAPE;
    if (!gxy || (hw > 0 && (!heat || !dheat))) return SMK_ERR_NULL;
    if (hw == 0) return SMK_OK; /* no pixel: nothing to write */
    const double stepx = la_coord_step(coords, w), stepy = la_coord_step(coords, h);
    for (size_t k = 0; k < maps; ++k) {
        const LT *x = heat + k * ldh;
        LT *d = dheat + k * ldd;
        /* A map with a +∞ entry (and no NaN) sits at the mean of its +∞ entries whatever its
         * finite entries are: the derivative is 0. Scanned before d (which may be x) is written. */
        int inf = 0, nan = 0;
        for (size_t m = 0; m < hw; ++m) {
            inf |= x[m] == (LT)INFINITY;
            nan |= isnan(x[m]);
        }
        /* p into d, then d_ij = p_ij·(gx·∂x/∂(col) ·(j − x̄) + gy·∂y/∂(row)·(i − ȳ))/τ:
         * ∂E[c]/∂heat_ij = p_ij·(c_ij − E[c])/τ, with c_ij − E[c] = step·(index − mean index). */
        LA_K(softmax)(x, 1, hw, hw, t, d, hw);
        double xi, yi;
        LA_CAT(la_spatial_mean_, LSUF)(d, h, w, &xi, &yi);
        const double gx = (double)gxy[2 * k] * stepx / (double)t, gy = (double)gxy[2 * k + 1] * stepy / (double)t;
        for (size_t i = 0; i < h; ++i)
            for (size_t j = 0; j < w; ++j) {
                LT *dij = d + i * w + j;
                if (inf && !nan)
                    *dij = 0;
                else if (isnan(xi))   /* NaN or fully masked map: no position, no derivative */
                    *dij = (LT)NAN;
                else
                    *dij = (LT)((double)*dij * (gx * ((double)j - xi) + gy * ((double)i - yi)));
            }
    }
    return SMK_OK;
}
