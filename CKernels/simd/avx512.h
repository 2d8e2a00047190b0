/* AVX-512F (with AVX2 and FMA): 512-bit registers. */
#define SMK_ISA avx512
#define SMK_ISA_TARGET "avx512f,avx512bw,avx2,fma,f16c"
#define SMK_F32_LANES 16
#define SMK_F64_LANES 8
#define SMK_HAS_FMA 1
#include <immintrin.h>
/* The fast exp's 2^(j/16) table (rowops.inc fexp): one vpermd (f32) / vpermt2q (f64 over two
 * registers) looks 16 entries up by the low 4 bits of each lane. */
#define SMK_F32_TABLE_BITS 4
#define SMK_F32_LOOKUP(tab, idx) ((__typeof__(idx))_mm512_permutexvar_epi32((__m512i)(idx), (__m512i)(tab)[0]))
#define SMK_F64_TABLE_BITS 4
#define SMK_F64_LOOKUP(tab, idx) \
    ((__typeof__(idx))_mm512_permutex2var_epi64((__m512i)(tab)[0], (__m512i)(idx), (__m512i)(tab)[1]))
/* The first k < LANES lanes of a packet (rowops.inc load_part/store_part), masked. */
#define SMK_F32_LOAD_FIRST(p, k, fill) _mm512_mask_loadu_ps(_mm512_set1_ps(fill), (__mmask16)((1u << (k)) - 1), (p))
#define SMK_F32_STORE_FIRST(p, v, k) _mm512_mask_storeu_ps((p), (__mmask16)((1u << (k)) - 1), (__m512)(v))
#define SMK_F64_LOAD_FIRST(p, k, fill) _mm512_mask_loadu_pd(_mm512_set1_pd(fill), (__mmask8)((1u << (k)) - 1), (p))
#define SMK_F64_STORE_FIRST(p, v, k) _mm512_mask_storeu_pd((p), (__mmask8)((1u << (k)) - 1), (__m512d)(v))
/* Tiny rows (rowops.inc tiny_load/tiny_store): vector loads and an in-register transpose, as
 * on AVX2 (not measured: no AVX-512 machine; element inserts into 512-bit registers cost more).
 * The 16/8-lane tiles are checked bit for bit against the element-wise form on AVX2 hardware:
 * Benchmarks/kernel-check/tiny.c with wide.h. */
#define SMK_TINY_TRANSPOSE 1
/* float16 storage (kernels/types_f16.h): AVX-512F's vcvtph2ps / vcvtps2ph, nearest even. */
#define SMK_F16_WIDEN(h) _mm512_cvtph_ps((__m256i)(h))
#define SMK_F16_NARROW(f) _mm512_cvtps_ph((__m512)(f), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define SMK_KEEP_IN_REGISTER(v) __asm__("" : "+v"(v))
/* The first k < 16 16-bit storage entries of p (kernels/packet.inc load_part_x, the other
 * lanes 0; store_part_y): AVX-512BW's masked vmovdqu16, whose masked-off lanes neither fault
 * nor are written. */
#define SMK_U16_LOAD_FIRST(p, k) \
    _mm512_castsi512_si256(_mm512_maskz_loadu_epi16((__mmask32)((1u << (k)) - 1), (p)))
#define SMK_U16_STORE_FIRST(p, h, k) \
    _mm512_mask_storeu_epi16((p), (__mmask32)((1u << (k)) - 1), _mm512_castsi256_si512((__m256i)(h)))
