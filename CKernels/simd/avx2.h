/* AVX2 + FMA (Haswell, Zen and later): 256-bit registers. */
#define SMK_ISA avx2
#define SMK_ISA_TARGET "avx2,fma"
#define SMK_F32_LANES 8
#define SMK_F64_LANES 4
#define SMK_HAS_FMA 1
/* Tiny rows (rowops.inc tiny_load/tiny_store): vector loads and an in-register transpose,
 * 0.96–1.30× the element-wise form, most op × shape cells 1.05–1.2×, none below 1 in both
 * of two runs (Benchmarks/kernel-check/tiny.c on Zen 3, ±6% noise; docs/benchmarks.md). */
#define SMK_TINY_TRANSPOSE 1
