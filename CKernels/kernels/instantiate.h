/* Instantiates rowops.inc for float and double under the ISA that simd/<isa>.h named, and
 * defines that ISA's kernel table. Every function here gets the ISA's target attribute;
 * the target as a whole keeps the baseline ISA, so the binary runs on any CPU of its
 * architecture and dispatch.c picks the table at run time. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"

#if !defined(__clang__)
#error "SmoothKit's kernels use clang vector extensions: build with clang (SwiftPM does)."
#endif

#include "instance.h" /* FN(softmax) → softmax_f32_avx2 in the float instantiation for AVX2 */

/* The edge classes of SPEC §1's table, in the order rows are tested for them. */
enum { ROW_FINITE, ROW_NAN, ROW_POSINF, ROW_MASKED };

#ifdef SMK_ISA_TARGET
#pragma clang attribute push(__attribute__((target(SMK_ISA_TARGET))), apply_to = function)
#endif

#include "kernels/types_f32.h"
#include "kernels/rowops.inc"
#include "kernels/catalog_rows.inc" /* smoothing catalog (SPEC §2): needs rowops.inc above */
#include "kernels/train.inc" /* training ops */
#include "kernels/types_undef.h"

#include "kernels/types_f64.h"
#include "kernels/rowops.inc"
#include "kernels/catalog_rows.inc" /* smoothing catalog (SPEC §2): needs rowops.inc above */
#include "kernels/train.inc" /* training ops */
#include "kernels/types_undef.h"

#ifdef SMK_ISA_TARGET
#pragma clang attribute pop
#endif

#define SMK_ROW(op, suf) SMK_CAT(SMK_CAT(SMK_CAT(op, _), suf), SMK_CAT(_, SMK_ISA))
const smk_kernels SMK_CAT(smk_kernels_, SMK_ISA) = {
    .logsumexp_f32 = SMK_ROW(logsumexp, f32),
    .softmax_f32 = SMK_ROW(softmax, f32),
    .log_softmax_f32 = SMK_ROW(log_softmax, f32),
    .softargmax_f32 = SMK_ROW(softargmax, f32),
    .logsumexp_f64 = SMK_ROW(logsumexp, f64),
    .softmax_f64 = SMK_ROW(softmax, f64),
    .log_softmax_f64 = SMK_ROW(log_softmax, f64),
    .softargmax_f64 = SMK_ROW(softargmax, f64),
    /* ---- Smoothing catalog (SPEC §2) */
    .weighted_max_f32 = SMK_ROW(weighted_max, f32),
    .weighted_max_f64 = SMK_ROW(weighted_max, f64),
    /* ---- training ops (kernels/train.inc) ---- */
#define SMK_TRAIN_ROWS(suf) \
    .logsumexp_backward_##suf = SMK_ROW(logsumexp_backward, suf), \
    .softmax_backward_##suf = SMK_ROW(softmax_backward, suf), \
    .log_softmax_backward_##suf = SMK_ROW(log_softmax_backward, suf), \
    .softargmax_backward_##suf = SMK_ROW(softargmax_backward, suf), \
    .cross_entropy_##suf = SMK_ROW(cross_entropy, suf), \
    .lse_state_##suf = SMK_ROW(lse_state, suf), \
    .lse_merge_##suf = SMK_ROW(lse_merge, suf), \
    .lse_finalize_##suf = SMK_ROW(lse_finalize, suf), \
    .masked_rowop_##suf = SMK_ROW(masked_rowop, suf), \
    .logsumexp_weighted_##suf = SMK_ROW(logsumexp_weighted, suf), \
    .col_rowop_##suf = SMK_ROW(col_rowop, suf),
    SMK_TRAIN_ROWS(f32)
    SMK_TRAIN_ROWS(f64)
#undef SMK_TRAIN_ROWS
    /* ---- end training ops ---- */
};
