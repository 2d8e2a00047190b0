/* convert_neon.c — the conversions on arm64: binary16 by fcvtl / fcvtn (round to nearest even
 * under the default FPCR), bfloat16 by the bit operations of convert.inc at 128 bits.
 * Not run here (no arm64 machine): compiled for arm64 only. */
#if defined(__aarch64__)
#include <arm_neon.h>
#include <string.h>
#include "half/convert.h"

#define CV_LANES 4
#define CV(name) neon_##name
#define CV_F16_WIDEN(h) vcvt_f32_f16(vreinterpret_f16_u16((uint16x4_t)(h)))
#define CV_F16_NARROW(f) vreinterpret_u16_f16(vcvt_f16_f32((float32x4_t)(f)))
#include "half/convert.inc"

const smk_half_conv smk_half_conv_neon = {"neon", neon_f16_to_f32, neon_f32_to_f16, neon_bf16_to_f32,
                                          neon_f32_to_bf16};
#endif
