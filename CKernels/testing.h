/* testing.h — test-only entry points of libsmoothkit (testing.c), for the test programs
 * (Tests/ExpUlp, the Swift tests through Tests/CSmoothKitTesting): the kernels of an ISA chosen
 * per call or per thread. Exported so that a test links the library, but not installed and not
 * part of the ABI. Each returns −1, writing nothing, when this build or CPU cannot run `isa`
 * (SMK_ISA_AUTO: the best path, but for smk_test_set_thread_isa). */
#ifndef SMOOTHKIT_TESTING_H
#define SMOOTHKIT_TESTING_H
#include "smoothkit.h"

/* Every call of the calling thread runs on `isa`, whatever smk_force_isa chose for the process
 * (which smk_active_isa and smk_isa_name keep reporting); SMK_ISA_AUTO: back to that choice.
 * Threads the calling thread starts do not inherit it. Returns 0. */
SMK_API int smk_test_set_thread_isa(smk_isa isa);
/* The calling thread's ISA set by smk_test_set_thread_isa; SMK_ISA_AUTO when none. */
SMK_API smk_isa smk_test_thread_isa(void);

/* out[i] = 2^(th[i] + tl[i]) by the double-word exponential of the row kernels (exp.inc
 * exp2dw); n a multiple of 16. Returns 0. */
SMK_API int smk_test_exp2dw_f32(smk_isa isa, const float *th, const float *tl, float *out, size_t n);
SMK_API int smk_test_exp2dw_f64(smk_isa isa, const double *th, const double *tl, double *out, size_t n);

/* out[i] = the fast exp (exp.inc fexp) of x[i] in the row context (τ = tau, row max m, row
 * min mn), with or without its clamp; n a multiple of 16. Returns the context's mode (0: the
 * row is not for the fast exp, out not written); *M its reference, *xcut its clamp point,
 * c[0], c[1] its c_hi, c_lo: out[i] = 2^(x[i]·(c_hi + c_lo) − M). */
SMK_API int smk_test_fexp_f32(smk_isa isa, const float *x, float *out, size_t n, float tau, float m, float mn,
                              int clamp, float *M, float *xcut, float *c);
SMK_API int smk_test_fexp_f64(smk_isa isa, const double *x, double *out, size_t n, double tau, double m, double mn,
                              int clamp, double *M, double *xcut, double *c);
#endif
