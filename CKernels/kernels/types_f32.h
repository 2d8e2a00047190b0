/* Element type float: the names rowops.inc is written against. */
#define T float
#define W double               /* wider type for per-row scalars (m − min, log s, final sums) */
#define IT int32_t             /* integer of the same width, for exponent bit tricks */
#define SUF f32
#define LANES SMK_F32_LANES
#define T_MAX FLT_MAX
#define W_LOG log
#define W_FREXP frexp
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
/* log Σ of tiny rows in double vectors (rowops.inc log_wv) */
#define TINY_VECTOR_LOG 1
