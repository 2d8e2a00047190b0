/* convert_x86.c — the conversions on x86: binary16 by the F16C / AVX-512F instructions
 * (vcvtph2ps, vcvtps2ph with round-to-nearest-even), bfloat16 by the bit operations of
 * convert.inc at 256 / 512 bits. Each function carries its own target attribute; the AVX2
 * path, hence this set, is taken only where the CPU reports F16C (dispatch.c).
 * avx512_bf16's vcvtneps2bf16 is not used: it flushes subnormal inputs and results to zero,
 * where SmoothKit rounds them, and the shifts are a small part of an op's time. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <string.h>
#include "half/convert.h"

#define ROUND_NEAREST_EVEN (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
/* The narrowed packet is made in a register and stored by a plain move: the compiler would
 * otherwise fold the narrowing into a store (vpmovdw / vcvtps2ph to memory), which some cores
 * run several times slower (the narrowing took 18% of bfloat16 softmax's time with it,
 * docs/benchmarks.md). */
#define KEEP_IN_REGISTER(v) __asm__("" : "+v"(v))

/* ---- AVX2 + F16C: 8 float lanes ---- */
#pragma clang attribute push(__attribute__((target("avx2,f16c"))), apply_to = function)
#define CV_LANES 8
#define CV(name) avx2_##name
#define CV_IN_REGISTER KEEP_IN_REGISTER
#define CV_F16_WIDEN(h) _mm256_cvtph_ps((__m128i)(h))
#define CV_F16_NARROW(f) _mm256_cvtps_ph((__m256)(f), ROUND_NEAREST_EVEN)
#include "half/convert.inc"
#pragma clang attribute pop

const smk_half_conv smk_half_conv_avx2 = {"f16c", avx2_f16_to_f32, avx2_f32_to_f16, avx2_bf16_to_f32,
                                          avx2_f32_to_bf16};

/* ---- AVX-512F: 16 float lanes ---- */
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma,f16c"))), apply_to = function)
#define CV_LANES 16
#define CV(name) avx512_##name
#define CV_IN_REGISTER KEEP_IN_REGISTER
#define CV_F16_WIDEN(h) _mm512_cvtph_ps((__m256i)(h))
#define CV_F16_NARROW(f) _mm512_cvtps_ph((__m512)(f), ROUND_NEAREST_EVEN)
#include "half/convert.inc"
#pragma clang attribute pop

const smk_half_conv smk_half_conv_avx512 = {"avx512", avx512_f16_to_f32, avx512_f32_to_f16, avx512_bf16_to_f32,
                                            avx512_f32_to_bf16};
#endif
#endif
