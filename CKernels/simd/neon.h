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
