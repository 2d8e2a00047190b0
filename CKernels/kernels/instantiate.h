/* Instantiates rowops.inc for float and double under the ISA that simd/<isa>.h named, and
 * defines that ISA's kernel table. Every function here gets the ISA's target attribute;
 * the target as a whole keeps the baseline ISA, so the binary runs on any CPU of its
 * architecture and dispatch.c picks the table at run time. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "internal.h" /* and instance.h: FN(softmax) → softmax_f32_avx2 for float on AVX2 */

#if !defined(__clang__)
#error "SmoothKit's kernels use clang vector extensions: build with clang (SwiftPM does)."
#endif

/* The edge classes of SPEC §1's table, in the order rows are tested for them. */
enum { ROW_FINITE, ROW_NAN, ROW_POSINF, ROW_MASKED };

#ifdef SMK_ISA_TARGET
#pragma clang attribute push(__attribute__((target(SMK_ISA_TARGET))), apply_to = function)
#endif

#include "kernels/types_f32.h"
#include "kernels/rowops.inc"
#include "kernels/catalog_rows.inc" /* smoothing catalog (SPEC §2): needs rowops.inc above */
#include "kernels/train.inc" /* training ops */
#include "kernels/exp_probe.inc" /* test-only: the exponentials over arrays */
#include "kernels/types_undef.h"

#include "kernels/types_f64.h"
#include "kernels/rowops.inc"
#include "kernels/catalog_rows.inc" /* smoothing catalog (SPEC §2): needs rowops.inc above */
#include "kernels/train.inc" /* training ops */
#include "kernels/exp_probe.inc" /* test-only: the exponentials over arrays */
#include "kernels/types_undef.h"

/* The row ops over bfloat16 and float16 storage (ops_half.def): rowops.inc with S the 16-bit
 * element, converted in registers by these packet conversions (kcv_*, float lanes). */
#define CV_LANES SMK_F32_LANES
#define CV(name) kcv_##name
#ifdef SMK_F16_WIDEN
#define CV_F16_WIDEN SMK_F16_WIDEN
#define CV_F16_NARROW SMK_F16_NARROW
#endif
#define CV_PACKETS_ONLY
#include "half/convert.inc"
#include "kernels/types_bf16.h"
#include "kernels/rowops.inc"
#include "kernels/types_undef.h"
#include "kernels/types_f16.h"
#include "kernels/rowops.inc"
#include "kernels/types_undef.h"

#ifdef SMK_ISA_TARGET
#pragma clang attribute pop
#endif

/* This ISA's kernel table (smk_kernels_avx2, ...): a row per op of kernels/ops.def and type. */
SMK_HIDDEN const smk_kernels SMK_CAT(smk_kernels_, SMK_ISA) = {
#define SMK_OP(name, params) .SMK_CAT(SMK_CAT(name, _), SUF) = FN(name),
#include "kernels/types_f32.h"
#include "kernels/ops.def"
#include "kernels/types_undef.h"
#define SMK_OP(name, params) .SMK_CAT(SMK_CAT(name, _), SUF) = FN(name),
#include "kernels/types_f64.h"
#include "kernels/ops.def"
#include "kernels/types_undef.h"
#define SMK_OP(name, params) .SMK_CAT(SMK_CAT(name, _), SUF) = FN(name),
#include "kernels/types_bf16.h"
#include "kernels/ops_half.def"
#include "kernels/types_undef.h"
#define SMK_OP(name, params) .SMK_CAT(SMK_CAT(name, _), SUF) = FN(name),
#include "kernels/types_f16.h"
#include "kernels/ops_half.def"
#include "kernels/types_undef.h"
};
