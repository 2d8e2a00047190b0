/* convert.h — the storage conversions of the half-precision entry points (half.c): float16
 * (IEEE binary16) and bfloat16 to and from float, one set per instruction-set path. Internal. */
#ifndef SMOOTHKIT_HALF_CONVERT_H
#define SMOOTHKIT_HALF_CONVERT_H
#include <stddef.h>
#include <stdint.h>

/* Widening is exact; narrowing rounds to nearest, ties to even, keeps NaN a (quiet) NaN and
 * sends values past the largest finite one to ±∞. Subnormals are kept both ways. */
typedef struct smk_half_conv {
    const char *name; /* "portable", "f16c", "avx512", "neon": which path, for tests */
    void (*f16_to_f32)(const uint16_t *src, float *dst, size_t n);
    void (*f32_to_f16)(const float *src, uint16_t *dst, size_t n);
    void (*bf16_to_f32)(const uint16_t *src, float *dst, size_t n);
    void (*f32_to_bf16)(const float *src, uint16_t *dst, size_t n);
} smk_half_conv;

extern const smk_half_conv smk_half_conv_portable;
#if defined(__x86_64__) || defined(__i386__)
extern const smk_half_conv smk_half_conv_avx2;      /* AVX2 and F16C */
#endif
#if defined(__x86_64__)
extern const smk_half_conv smk_half_conv_avx512;
#endif
#if defined(__aarch64__)
extern const smk_half_conv smk_half_conv_neon;
#endif

/* The conversions of the instruction-set path in use (smk_active_isa: forcing a path forces
 * its conversions too). */
const smk_half_conv *smk_half_active_conv(void);

/* One element, by bit operations (convert_portable.c): the reference every path must match. */
float smk_f16_to_f32_bits(uint16_t h);
uint16_t smk_f32_to_f16_bits(float f);
float smk_bf16_to_f32_bits(uint16_t h);
uint16_t smk_f32_to_bf16_bits(float f);
#endif
