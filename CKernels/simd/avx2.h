/* AVX2 + FMA (Haswell, Zen and later): 256-bit registers. */
#define SMK_ISA avx2
#define SMK_ISA_TARGET "avx2,fma"
#define SMK_F32_LANES 8
#define SMK_F64_LANES 4
#define SMK_HAS_FMA 1
/* Tiny rows (rowops.inc tiny_load/tiny_store): vector loads and an in-register transpose,
 * 1.00–1.3× the element-wise form (Benchmarks/kernel-check/tiny.c, Zen 3). */
#define SMK_TINY_TRANSPOSE 1
