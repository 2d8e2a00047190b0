/* Storage float16 (IEEE binary16), compute float: as types_bf16.h, with the ISA's binary16
 * instructions where simd/<isa>.h names them (SMK_F16_WIDEN), else bit operations. */
#include "kernels/types_f32.h"
#undef SUF
#define SUF f16
#define S uint16_t
#define S_WIDEN(h) kcv_f16_widen_isa(h)
#define S_NARROW(v) kcv_f16_narrow_isa(v)
