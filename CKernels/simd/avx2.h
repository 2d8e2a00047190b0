/* AVX2 + FMA (Haswell, Zen and later): 256-bit registers. */
#define SMK_ISA avx2
#define SMK_ISA_TARGET "avx2,fma"
#define SMK_F32_LANES 8
#define SMK_F64_LANES 4
#define SMK_HAS_FMA 1
/* Tiny rows (rowops.inc tiny_load/tiny_store): vector loads and an in-register transpose
 * (packed tiles for the last n mod LANES columns), 1.00–1.37× the element-wise form in the
 * same build, most op × shape cells 1.03–1.2×, none below 1 in either of two runs
 * (Benchmarks/kernel-check/tiny.c on Zen 3, n = 4, 8, 16; ±6% noise). */
#define SMK_TINY_TRANSPOSE 1
