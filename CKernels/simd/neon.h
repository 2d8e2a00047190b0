/* arm64 Advanced SIMD: 128-bit registers, FMA always present. */
#define SMK_ISA neon
#define SMK_F32_LANES 4
#define SMK_F64_LANES 2
/* No lookup table for the fast exp (rowops.inc fexp): the longer polynomial. */
#define SMK_F32_TABLE_BITS 0
#define SMK_F64_TABLE_BITS 0
#define SMK_HAS_FMA 1
/* Tiny rows (rowops.inc tiny_load/tiny_store): one element at a time (the transpose is not
 * measured on Arm). */
#define SMK_TINY_TRANSPOSE 0
#include <arm_neon.h>
/* float16 storage (kernels/types_f16.h): fcvtl / fcvtn, nearest even under the default FPCR. */
#define SMK_F16_WIDEN(h) vcvt_f32_f16(vreinterpret_f16_u16((uint16x4_t)(h)))
#define SMK_F16_NARROW(f) vreinterpret_u16_f16(vcvt_f16_f32((float32x4_t)(f)))
