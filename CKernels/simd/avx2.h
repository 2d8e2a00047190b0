/* AVX2 + FMA (+ F16C, which every such CPU has): 256-bit registers. */
#define SMK_ISA avx2
#define SMK_ISA_TARGET "avx2,fma,f16c"
#define SMK_F32_LANES 8
#define SMK_F64_LANES 4
#define SMK_HAS_FMA 1
#include <immintrin.h>
/* The fast exp's table (rowops.inc fexp): 2^(j/8) in one register, looked up by vpermd with the
 * low 3 bits of each lane; f64 (4 lanes) takes no table and a longer polynomial. */
#define SMK_F32_TABLE_BITS 3
#define SMK_F32_LOOKUP(tab, idx) ((__typeof__(idx))_mm256_permutevar8x32_epi32((__m256i)(tab)[0], (__m256i)(idx)))
#define SMK_F64_TABLE_BITS 0
/* The first k < LANES lanes of a packet (rowops.inc load_part/store_part): vmaskmov, whose
 * masked-off lanes neither fault nor are written. */
typedef int smk_avx2_v8si __attribute__((vector_size(32)));
typedef long long smk_avx2_v4di __attribute__((vector_size(32)));
#define smk_avx2_mask32(k) ((__m256i)((smk_avx2_v8si){0, 1, 2, 3, 4, 5, 6, 7} < (int)(k)))
#define smk_avx2_mask64(k) ((__m256i)((smk_avx2_v4di){0, 1, 2, 3} < (long long)(k)))
#define SMK_F32_LOAD_FIRST(p, k, fill) \
    _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps((p), smk_avx2_mask32(k)), (__m256)smk_avx2_mask32(k))
#define SMK_F32_STORE_FIRST(p, v, k) _mm256_maskstore_ps((p), smk_avx2_mask32(k), (__m256)(v))
#define SMK_F64_LOAD_FIRST(p, k, fill) \
    _mm256_blendv_pd(_mm256_set1_pd(fill), _mm256_maskload_pd((p), smk_avx2_mask64(k)), (__m256d)smk_avx2_mask64(k))
#define SMK_F64_STORE_FIRST(p, v, k) _mm256_maskstore_pd((p), smk_avx2_mask64(k), (__m256d)(v))
/* Tiny rows (rowops.inc tiny_load/tiny_store): vector loads and an in-register transpose
 * (packed tiles for the last n mod LANES columns), 1.00–1.37× the element-wise form in the
 * same build, most op × shape cells 1.03–1.2×, none below 1 in either of two runs
 * (Benchmarks/kernel-check/tiny.c, n = 4, 8, 16; ±6% noise; docs/benchmarks.md). */
#define SMK_TINY_TRANSPOSE 1
/* float16 storage (kernels/types_f16.h): F16C's vcvtph2ps / vcvtps2ph, round to nearest even.
 * SMK_KEEP_IN_REGISTER: a narrowed packet is stored by a plain move (kernels/packet.inc). */
#define SMK_F16_WIDEN(h) _mm256_cvtph_ps((__m128i)(h))
#define SMK_F16_NARROW(f) _mm256_cvtps_ph((__m256)(f), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define SMK_KEEP_IN_REGISTER(v) __asm__("" : "+v"(v))
/* The first w < 4 32-bit words of p, the other lanes 0 (kernels/packet.inc load_part_x over
 * 16-bit storage): vpmaskmovd, whose masked-off lanes do not fault. */
typedef int smk_avx2_v4si __attribute__((vector_size(16)));
#define SMK_U32_LOAD_FIRST(p, w) \
    _mm_maskload_epi32((const int *)(p), (__m128i)((smk_avx2_v4si){0, 1, 2, 3} < (int)(w)))
