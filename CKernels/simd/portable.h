/* Portable path: plain clang vectors at the baseline ISA (SSE2 on x86-64), no FMA. */
#define SMK_ISA portable
#define SMK_F32_LANES 4
#define SMK_F64_LANES 2
/* No lookup table for the fast exp (rowops.inc fexp): the longer polynomial. */
#define SMK_F32_TABLE_BITS 0
#define SMK_F64_TABLE_BITS 0
#define SMK_HAS_FMA 0
/* Tiny rows (rowops.inc tiny_load/tiny_store): one element at a time; the transpose measured
 * no faster here (0.93–1.06×, and 0.96–1.12× with packed tiles; Benchmarks/kernel-check/tiny.c:
 * the exp work without FMA dominates). */
#define SMK_TINY_TRANSPOSE 0
