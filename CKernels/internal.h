/* Internal: the per-ISA kernel table and the dispatch point. Not installed. */
#ifndef SMOOTHKIT_INTERNAL_H
#define SMOOTHKIT_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "smoothkit.h"
#include "instance.h"

/* Internal symbols stay out of libsmoothkit.so's dynamic symbol table: its exports are the ABI. */
#define SMK_HIDDEN __attribute__((visibility("hidden")))

/* The kernels of one ISA: a pointer per op of kernels/ops.def and element type, named op_SUF. */
typedef struct smk_kernels {
#define SMK_OP(name, params) void(*SMK_CAT(SMK_CAT(name, _), SUF)) params;
#include "kernels/types_f32.h"
#include "kernels/ops.def"
#include "kernels/types_undef.h"
#define SMK_OP(name, params) void(*SMK_CAT(SMK_CAT(name, _), SUF)) params;
#include "kernels/types_f64.h"
#include "kernels/ops.def"
#include "kernels/types_undef.h"
#define SMK_OP(name, params) void(*SMK_CAT(SMK_CAT(name, _), SUF)) params;
#include "kernels/types_bf16.h"
#include "kernels/ops_half.def"
#include "kernels/types_undef.h"
#define SMK_OP(name, params) void(*SMK_CAT(SMK_CAT(name, _), SUF)) params;
#include "kernels/types_f16.h"
#include "kernels/ops_half.def"
#include "kernels/types_undef.h"
} smk_kernels;

SMK_HIDDEN extern const smk_kernels smk_kernels_portable;
#if defined(__x86_64__) || defined(__i386__)
SMK_HIDDEN extern const smk_kernels smk_kernels_avx2;
#endif
#if defined(__x86_64__)
SMK_HIDDEN extern const smk_kernels smk_kernels_avx512;
#endif
#if defined(__aarch64__)
SMK_HIDDEN extern const smk_kernels smk_kernels_neon;
#endif

/* The table in use: the one dispatch point every entry point goes through. */
SMK_HIDDEN const smk_kernels *smk_active_kernels(void);

/* The table of `isa` when this build and CPU run it (SMK_ISA_AUTO: the best), else NULL; for
 * the test-only entries (testing.h), which pick the ISA per call. */
SMK_HIDDEN const smk_kernels *smk_kernels_for(smk_isa isa);

#endif
