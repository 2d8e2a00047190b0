/* testing.c — the test-only entry points of testing.h: one ISA's kernel table per call
 * (dispatch.c smk_kernels_for), the process-wide choice (smk_force_isa) untouched. */
#include "internal.h"
#include "testing.h"

int smk_test_exp2dw_f32(smk_isa isa, const float *th, const float *tl, float *out, size_t n) {
    const smk_kernels *k = smk_kernels_for(isa);
    if (!k) return -1;
    k->exp2dw_batch_f32(th, tl, out, n);
    return 0;
}

int smk_test_exp2dw_f64(smk_isa isa, const double *th, const double *tl, double *out, size_t n) {
    const smk_kernels *k = smk_kernels_for(isa);
    if (!k) return -1;
    k->exp2dw_batch_f64(th, tl, out, n);
    return 0;
}

int smk_test_fexp_f32(smk_isa isa, const float *x, float *out, size_t n, float tau, float m, float mn, int clamp,
                      float *M, float *xcut, float *c) {
    const smk_kernels *k = smk_kernels_for(isa);
    int mode;
    if (!k) return -1;
    k->fexp_batch_f32(x, out, n, tau, m, mn, clamp, &mode, M, xcut, c);
    return mode;
}

int smk_test_fexp_f64(smk_isa isa, const double *x, double *out, size_t n, double tau, double m, double mn,
                      int clamp, double *M, double *xcut, double *c) {
    const smk_kernels *k = smk_kernels_for(isa);
    int mode;
    if (!k) return -1;
    k->fexp_batch_f64(x, out, n, tau, m, mn, clamp, &mode, M, xcut, c);
    return mode;
}
