/* convert_portable.c — the conversions by bit operations at the baseline ISA (SSE2 on x86-64),
 * 4 lanes (one 128-bit register); also the one-element forms every other path is tested against. */
#include <string.h>
#include "half/convert.h"

#define CV_LANES 4
#define CV(name) portable_##name
#include "half/convert.inc"

const smk_half_conv smk_half_conv_portable = {"portable", portable_f16_to_f32, portable_f32_to_f16,
                                              portable_bf16_to_f32, portable_f32_to_bf16};

float smk_f16_to_f32_bits(uint16_t h) { return portable_f16_widen((portable_u16v)h)[0]; }
uint16_t smk_f32_to_f16_bits(float f) { return portable_f16_narrow((portable_f32v)f)[0]; }
float smk_bf16_to_f32_bits(uint16_t h) { return portable_bf16_widen((portable_u16v)h)[0]; }
uint16_t smk_f32_to_bf16_bits(float f) { return portable_bf16_narrow((portable_f32v)f)[0]; }
