/* Element type double: the names the generic bodies (the .inc files of the kernels and of the entry
 * points) are written against. */
#define T double
#define W long double          /* 80-bit on x86-64, 128-bit on arm64 Linux */
#define IT int64_t
#define SUF f64
#define LANES SMK_F64_LANES
#define T_MAX DBL_MAX
#define W_LOG logl
#define W_FREXP frexpl
#define W_IS_DOUBLE 0  /* per-row scalars in double (else the double words of rowops.inc) */
#define W_LDEXP ldexpl
#define MANT_BITS 52
#define EXP_BIAS 1023
#define ROUND_MAGIC 0x1.8p52
/* 2^t for t < −1075 rounds to 0 (2^−1074 is the smallest subnormal). */
#define EXP2_CUTOFF (-1075.0)
#define PRESCALE_MAX_EXP 1000
/* 2^f on [−½, ½]: degree-11 fit at Chebyshev nodes (mpmath), coefficients rounded to the
   element type; max relative error 2.8e-17 (0.13 ulp). Evaluated by Horner with FMA. */
#define EXP2_DEGREE 11
#define EXP2_COEFFS { 0x1.0p+0, 0x1.62e42fefa39efp-1, 0x1.ebfbdff82c5afp-3, 0x1.c6b08d704a0c6p-5, 0x1.3b2ab6fb9f159p-7, 0x1.5d87fe78a3f7bp-10, 0x1.430913113b9ccp-13, 0x1.ffcbfc6db3ea4p-17, 0x1.62bfc2a14714ep-20, 0x1.b524ebafd7059p-24, 0x1.e622d05fd57d6p-28, 0x1.e9ec5b20cd57p-32 }
/* The fast exp (rowops.inc fexp), as in types_f32.h. Errors of the rounded fits: 0.32 u
 * (16 entries, degree 6), 0.39 u (no table, degree 11). */
#define TABLE_BITS SMK_F64_TABLE_BITS
#ifdef SMK_F64_LOOKUP
#define LOOKUP SMK_F64_LOOKUP
#endif
#ifdef SMK_F64_LOAD_FIRST
#define LOAD_FIRST SMK_F64_LOAD_FIRST
#define STORE_FIRST SMK_F64_STORE_FIRST
#endif
#if TABLE_BITS == 4
#define FEXP_DEGREE 6
#define FEXP_COEFFS { 0x1p+0, 0x1.62e42fefa3a25p-5, 0x1.ebfbdff82c454p-11, 0x1.c6b08d6c04c84p-17, 0x1.3b2ab7030b45ep-23, 0x1.5d8aba2f41ecfp-30, 0x1.43072e0b3af94p-37 }
#else
#define FEXP_DEGREE 11
#define FEXP_COEFFS { 0x1p+0, 0x1.62e42fefa39f0p-1, 0x1.ebfbdff82c5bdp-3, 0x1.c6b08d7049f60p-5, 0x1.3b2ab6fb9d151p-7, 0x1.5d87fe78dd8e5p-10, 0x1.430913176fdbbp-13, 0x1.ffcbfb7bd2fa2p-17, 0x1.62bfb334c8b60p-20, 0x1.b526a7cf81114p-24, 0x1.e63d4c32a15f6p-28, 0x1.e79bbd802a80ap-32 }
#endif
/* |m·c| up to which a row takes the fast exp: T·M stays below 2^51, where ROUND_MAGIC rounds,
 * and x·c_lo below 2^−7. */
#define FEXP_M_MAX 0x1p46
/* The clamp's t: 2^−1080 < 2^−1075 rounds to 0; fexp's scale stays normal down to −1086. */
#define FEXP_CUT 1080
/* W is long double: log Σ of tiny rows as a double word in T vectors instead (rowops.inc log_dwv) */
/* The linear algebra of linalg/ (<cblas.h>, <lapacke.h>) and libm for this element type. */
#define BLAS_GEMM cblas_dgemm
#define BLAS_SYRK cblas_dsyrk
#define LAPACK_SYEVD LAPACKE_dsyevd_work
#define T_SQRT sqrt
#define T_FABS fabs
