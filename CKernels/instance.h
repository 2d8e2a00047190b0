/* The one instantiation idiom of the C sources: a generic body is written once in a .inc file
 * against the names of kernels/types_<SUF>.h (T, SUF, ...) and included once per element type,
 *     #include "kernels/types_f32.h"  #include "x.inc"  #include "kernels/types_undef.h"
 * and each of its functions is named FN(name): FN(softmax) → softmax_f32, or softmax_f32_avx2
 * in a kernel file, where simd/<isa>.h has defined SMK_ISA before this header. The exported
 * smk_* entry points are ordinary functions, one per element type, written out in the family's
 * .c file: a thin call of FN(name)'s instance. */
#ifndef SMOOTHKIT_INSTANCE_H
#define SMOOTHKIT_INSTANCE_H
#define SMK_CAT_(a, b) a##b
#define SMK_CAT(a, b) SMK_CAT_(a, b)
#ifdef SMK_ISA
#define FN(name) SMK_CAT(SMK_CAT(SMK_CAT(name, _), SUF), SMK_CAT(_, SMK_ISA))
#else
#define FN(name) SMK_CAT(SMK_CAT(name, _), SUF)
#endif
#endif
