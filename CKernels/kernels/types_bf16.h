/* Storage bfloat16, compute float: the names of types_f32.h with SUF bf16, S the storage
 * element and its packet conversions (half/convert.inc, instantiated as kcv_* by
 * kernels/instantiate.h). Only the row ops of rowops.inc are instantiated for it. */
#include "kernels/types_f32.h"
#undef SUF
#define SUF bf16
#define S uint16_t
#define S_WIDEN(h) kcv_bf16_widen(h)
#define S_NARROW(v) kcv_bf16_narrow(v)
/* bfloat16 is float's top half: two packets come from one load by a shift and a mask (even
 * and odd entries, kernels/packet.inc load_pair_x), and go back by S_ROUND32 and an or. */
#define S_ROUND32(v) kcv_bf16_round(v)
