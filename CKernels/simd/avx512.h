/* AVX-512F (Skylake-SP, Zen 4 and later): 512-bit registers. */
#define SMK_ISA avx512
#define SMK_ISA_TARGET "avx512f,avx2,fma"
#define SMK_F32_LANES 16
#define SMK_F64_LANES 8
#define SMK_HAS_FMA 1
/* Tiny rows (rowops.inc tiny_load/tiny_store): vector loads and an in-register transpose, as
 * on AVX2 (not measured: no AVX-512 machine; element inserts into 512-bit registers cost more).
 * The 16/8-lane tiles are checked bit for bit against the element-wise form on AVX2 hardware:
 * Benchmarks/kernel-check/tiny.c with wide.h. */
#define SMK_TINY_TRANSPOSE 1
