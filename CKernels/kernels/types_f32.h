/* Element type float: the names the generic bodies (the .inc files of the kernels and of the entry
 * points) are written against. */
#define T float
#define W double               /* wider type for per-row scalars (m − min, log s, final sums) */
#define IT int32_t             /* integer of the same width, for exponent bit tricks */
#define SUF f32
#define LANES SMK_F32_LANES
#define T_MAX FLT_MAX
#define W_LOG log
#define W_FREXP frexp
#define W_IS_DOUBLE 1  /* per-row scalars in double (else the double words of rowops.inc) */
#define W_LDEXP ldexp
#define MANT_BITS 23
#define EXP_BIAS 127
/* Round-to-integer by adding 1.5·2^23: exact for |t| < 2^22, the integer lands in the low bits. */
#define ROUND_MAGIC 0x1.8p23f
/* 2^t for t < −150 rounds to 0 (2^−149 is the smallest subnormal; 2^−150 ties to even 0). */
#define EXP2_CUTOFF (-150.0f)
/* |k| of the temperature prescale 2^k, so log2(e)/(τ·2^k) stays a normal float. */
#define PRESCALE_MAX_EXP 100
/* 2^f on [−½, ½]: degree-6 fit at Chebyshev nodes (mpmath), coefficients rounded to the
   element type; max relative error 1.9e-8 (0.16 ulp). Evaluated by Horner with FMA. */
#define EXP2_DEGREE 6
#define EXP2_COEFFS { 0x1.0p+0f, 0x1.62e43p-1f, 0x1.ebfbep-3f, 0x1.c6aeccp-5f, 0x1.3b2a1cp-7f, 0x1.5f491cp-10f, 0x1.44404p-13f }
/* The fast exp (rowops.inc fexp): a 2^(j/2^TABLE_BITS) table where the ISA has a one-instruction
 * lookup, then 2^(r/2^TABLE_BITS) for |r| ≤ FEXP_R by a polynomial fitted to relative error
 * (Remez, mpmath: scripts/fit-exp2), coefficients rounded to float. Errors of the rounded
 * fits: 0.10 u (16 entries, degree 3), 0.99 u (8 entries, degree 3: one FMA fewer than degree
 * 4 with its 0.014 u, and the AVX2 exp pass is FMA-bound), 0.37 u (no table, degree 6). FEXP_R covers |r| ≤ ½ plus what x·c_lo and, without FMA, the product's rounding
 * add for |x·c| ≤ FEXP_M_MAX (fexp's comment). */
#define TABLE_BITS SMK_F32_TABLE_BITS
#ifdef SMK_F32_LOOKUP
#define LOOKUP SMK_F32_LOOKUP
#endif
#ifdef SMK_F32_LOAD_FIRST
#define LOAD_FIRST SMK_F32_LOAD_FIRST
#define STORE_FIRST SMK_F32_STORE_FIRST
#endif
#if TABLE_BITS == 4
#define FEXP_DEGREE 3
#define FEXP_COEFFS { 0x1p+0f, 0x1.62e43p-5f, 0x1.ec0392p-11f, 0x1.c6ac4ap-17f }
#elif TABLE_BITS == 3
#define FEXP_DEGREE 3
#define FEXP_COEFFS { 0x1p+0f, 0x1.62e432p-4f, 0x1.ec14cep-9f, 0x1.c6a2bap-14f }
#else
#define FEXP_DEGREE 6
#define FEXP_COEFFS { 0x1p+0f, 0x1.62e432p-1f, 0x1.ebfbdap-3f, 0x1.c6ae8ap-5f, 0x1.3b2e3ep-7f, 0x1.5f698ep-10f, 0x1.41b9f6p-13f }
#endif
/* |m·c| up to which a row takes the fast exp: T·M stays below 2^22, where ROUND_MAGIC rounds. */
#define FEXP_M_MAX 0x1p17f
/* The clamp's t (entries below it give exactly 0: 2^−160 < 2^−150; fexp's scale stays normal
 * down to t = −190). */
#define FEXP_CUT 160
/* The linear algebra of linalg/ (<cblas.h>, <lapacke.h>) and libm for this element type. */
#define BLAS_GEMM cblas_sgemm
#define BLAS_SYRK cblas_ssyrk
#define LAPACK_SYEVD LAPACKE_ssyevd_work
#define T_SQRT sqrtf
#define T_FABS fabsf
