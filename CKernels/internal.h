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

/* ---- Training ops (kernels/train.inc): arguments checked in train/train.c ---- */
#define SMK_TRAIN_OPS(T, SUF) \
    void (*logsumexp_backward_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, const T *g, T t, T *dx, size_t lddx); \
    void (*softmax_backward_##SUF)(const T *p, size_t rows, size_t cols, size_t ldp, const T *g, size_t ldg, T t, T *dx, size_t lddx); \
    void (*log_softmax_backward_##SUF)(const T *y, size_t rows, size_t cols, size_t ldy, int form, const T *g, size_t ldg, T t, T *dx, size_t lddx); \
    void (*softargmax_backward_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, const T *g, T t, T *dx, size_t lddx); \
    void (*cross_entropy_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, const int64_t *labels, int64_t ignore, \
                                const T *target, size_t ldq, T eps, T t, int reduction, T *loss, T *dx, size_t lddx); \
    void (*lse_state_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, T t, T *m, T *s); \
    void (*lse_merge_##SUF)(const T *m1, const T *s1, const T *m2, const T *s2, size_t n, T t, T *m, T *s); \
    void (*lse_finalize_##SUF)(const T *m, const T *s, size_t n, T t, T *out); \
    void (*masked_rowop_##SUF)(int op, const T *x, size_t rows, size_t cols, size_t ldx, const int64_t *lengths, \
                               const uint8_t *mask, size_t ldm, T t, T *y, size_t ldy); \
    void (*logsumexp_weighted_##SUF)(const T *x, size_t rows, size_t cols, size_t ldx, const T *b, size_t ldb, T t, \
                                     T *out, T *sign); \
    void (*col_rowop_##SUF)(int op, const T *x, size_t rows, size_t cols, size_t ldx, T t, T *y, size_t ldy);
/* ---- end training ops ---- */

typedef struct smk_kernels {
    SMK_ROW_OPS(float, f32)
    SMK_ROW_OPS(double, f64)
    /* ---- Smoothing catalog (SPEC §2): the fused Boltzmann / log-sum-exp row kernel of
     * kernels/catalog_rows.inc; sign = +1 (max) or −1 (min), boltzmann: 1 (τ = 1/β) or 0. */
    void (*weighted_max_f32)(const float *x, size_t rows, size_t cols, size_t ldx, float t, int boltzmann,
                             float sign, float *out);
    void (*weighted_max_f64)(const double *x, size_t rows, size_t cols, size_t ldx, double t, int boltzmann,
                             double sign, double *out);
    /* training ops */
    SMK_TRAIN_OPS(float, f32)
    SMK_TRAIN_OPS(double, f64)
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
