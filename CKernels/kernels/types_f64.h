/* Element type double: the names rowops.inc is written against. */
#define T double
#define W long double          /* 80-bit on x86-64, 128-bit on arm64 Linux */
#define IT int64_t
#define SUF f64
#define LANES SMK_F64_LANES
#define T_MAX DBL_MAX
#define W_LOG logl
#define W_FREXP frexpl
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
/* W is long double: log Σ of tiny rows as a double word in T vectors instead (rowops.inc log_dwv) */
#define TINY_VECTOR_LOG 0
