/* Portable path: plain clang vectors at the baseline ISA (SSE2 on x86-64), no FMA. */
#define SMK_ISA portable
#define SMK_F32_LANES 4
#define SMK_F64_LANES 2
#define SMK_HAS_FMA 0
