/* fuzz_each_type.h — includes fuzz_values.inc and then the file named by FUZZ_BODY twice,
 * once for float and once for double, with T, SUF and that type's constants defined. */

#define T float
#define SUF f32
#define T_MAX FLT_MAX
#define T_MIN FLT_MIN
#define T_TRUE_MIN FLT_TRUE_MIN
#define T_EPS_U 0x1p-24L            /* u = 2^-24 */
#define P_FLOOR 0x1p-100L           /* softmax: relative bound above, absolute below */
#define T_HUGE_A 3e38f
#define T_EXP_EDGE 88.7f            /* ≈ log(FLT_MAX) */
#define TU uint32_t                 /* unsigned integer of T's size */
#define SENTINEL_BITS 0x7fa5a5a5u   /* a signalling NaN with a recognisable payload */
#include "fuzz_values.inc"
#include FUZZ_BODY
#undef T
#undef SUF
#undef T_MAX
#undef T_MIN
#undef T_TRUE_MIN
#undef T_EPS_U
#undef P_FLOOR
#undef T_HUGE_A
#undef T_EXP_EDGE
#undef TU
#undef SENTINEL_BITS

#define T double
#define SUF f64
#define T_MAX DBL_MAX
#define T_MIN DBL_MIN
#define T_TRUE_MIN DBL_TRUE_MIN
#define T_EPS_U 0x1p-53L
#define P_FLOOR 0x1p-1000L
#define T_HUGE_A 1e308
#define T_EXP_EDGE 709.7
#define TU uint64_t
#define SENTINEL_BITS 0x7ff5a5a5a5a5a5a5u
#include "fuzz_values.inc"
#include FUZZ_BODY
