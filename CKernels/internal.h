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
    /* ---- Smoothing catalog (SPEC §2): the fused Boltzmann / log-sum-exp row kernel of
     * kernels/catalog_rows.inc; sign = +1 (max) or −1 (min), boltzmann: 1 (τ = 1/β) or 0. */
    void (*weighted_max_f32)(const float *x, size_t rows, size_t cols, size_t ldx, float t, int boltzmann,
                             float sign, float *out);
    void (*weighted_max_f64)(const double *x, size_t rows, size_t cols, size_t ldx, double t, int boltzmann,
                             double sign, double *out);
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
