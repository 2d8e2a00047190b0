/* Internal: the per-ISA kernel table and the dispatch point. Not installed. */
#ifndef SMOOTHKIT_INTERNAL_H
#define SMOOTHKIT_INTERNAL_H
#include <stddef.h>
#include "smoothkit.h"

/* The row kernels of one ISA. Arguments are already checked; rows ≥ 1, cols ≥ 1, x non-null. */
#define SMK_ROW_OPS(T, SUF) \
    void (*logsumexp_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, T t, T *out); \
    void (*softmax_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, T t, T *y, size_t ldy); \
    void (*log_softmax_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, T t, T *y, size_t ldy); \
    void (*softargmax_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, T t, T *out);

typedef struct smk_kernels {
    SMK_ROW_OPS(float, f32)
    SMK_ROW_OPS(double, f64)
} smk_kernels;

extern const smk_kernels smk_kernels_portable;
#if defined(__x86_64__) || defined(__i386__)
extern const smk_kernels smk_kernels_avx2;
#endif
#if defined(__x86_64__)
extern const smk_kernels smk_kernels_avx512;
#endif
#if defined(__aarch64__)
extern const smk_kernels smk_kernels_neon;
#endif

/* The table in use: the one dispatch point every entry point goes through. */
const smk_kernels *smk_active_kernels(void);

#endif
