/* AVX2 + FMA (Haswell, Zen and later): 256-bit registers. */
#define SMK_ISA avx2
#define SMK_ISA_TARGET "avx2,fma"
#define SMK_F32_LANES 8
#define SMK_F64_LANES 4
#define SMK_HAS_FMA 1
