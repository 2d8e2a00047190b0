/*
 * smoothkit_half.h — half-precision storage: the row ops, their backward ops and the fused
 * cross-entropy on float16 (IEEE binary16) and bfloat16 matrices. Included by smoothkit.h.
 *
 * Each op reads its matrices in the storage type, computes in float with the same algorithm
 * as its _f32 form (smoothkit.h, smoothkit_train.h) and writes maps (softmax, log_softmax,
 * the gradients dx) in the storage type, reductions (logsumexp, soft-argmax, the loss) in
 * float. Temperatures, smoothing and per-row upstream gradients are float. Edge rows,
 * argument checks (sizes in elements of 2 bytes), in-place rules and statuses are those of
 * the _f32 form; on any error nothing is written.
 *
 * Accuracy (SPEC §1.6): the _f32 bound of SPEC §1.3 for the exact values stored, then for
 * maps one rounding to the storage type: relative 2^-11 (float16; absolute 2^-25 in its
 * subnormal range) or 2^-8 (bfloat16). Narrowing rounds to nearest, ties to even; NaN stays
 * NaN; a value past the largest finite one (65504 in float16) becomes ±∞; subnormals are
 * kept (bfloat16 too). Widening is exact.
 *
 * Conversions run on the instruction-set path of smk_active_isa(): vcvtph2ps / vcvtps2ph
 * (AVX-512F, AVX2 with F16C), fcvtl / fcvtn (NEON), bit operations (bfloat16 everywhere,
 * float16 on the portable path); all give the same bits.
 *
 * Memory: the four row ops convert in registers as they read and write (memory sees 2 bytes
 * per element each way); softmax keeps two float rows of work on the stack, or on the heap
 * for rows longer than 4096 entries. The backward ops and the cross-entropy widen
 * rows to float in blocks on the stack (up to 16 KiB per operand), a row longer than 4096
 * entries into a heap buffer of 4 bytes per entry per operand. If a heap allocation fails the
 * call returns SMK_ERR_COMPUTE with nothing written.
 *
 * Example (the softmax of a bfloat16 matrix, in place):
 *   smk_bf16 x[2][3] = {{0x3f80, 0x4000, 0x4040}, {0, 0, 0xff80}};  // {1, 2, 3}, {0, 0, −∞}
 *   if (smk_softmax_bf16(&x[0][0], 2, 3, 3, 1.0f, &x[0][0], 3) != SMK_OK) abort();
 *   // x[1] == {0x3f00, 0x3f00, 0}: {0.5, 0.5, 0}
 */
#ifndef SMOOTHKIT_HALF_H
#define SMOOTHKIT_HALF_H

#include <stddef.h>
#include <stdint.h>
#include "smoothkit.h"       /* smk_status, SMK_API */
#include "smoothkit_train.h" /* smk_prob_form, smk_reduction */

#ifdef __cplusplus
extern "C" {
#endif

/* The storage types: the bits of one element (binary16: 1 sign, 5 exponent, 10 fraction bits;
 * bfloat16: the top half of a float, 1, 8, 7). Added in 1.1, as every entry point below. */
typedef uint16_t smk_f16;
typedef uint16_t smk_bf16;

/* ---- Conversions (n elements; src and dst must not overlap; NULL with n > 0: SMK_ERR_NULL) */
SMK_API smk_status smk_f16_to_f32(const smk_f16 *src, size_t n, float *dst);
SMK_API smk_status smk_f32_to_f16(const float *src, size_t n, smk_f16 *dst);
SMK_API smk_status smk_bf16_to_f32(const smk_bf16 *src, size_t n, float *dst);
SMK_API smk_status smk_f32_to_bf16(const float *src, size_t n, smk_bf16 *dst);

/* ---- Forward row ops (smoothkit.h): reductions write float, maps the storage type ---- */
SMK_API smk_status smk_logsumexp_f16  (const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out);
SMK_API smk_status smk_softmax_f16    (const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_f16 *y, size_t ldy);
SMK_API smk_status smk_log_softmax_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_f16 *y, size_t ldy);
SMK_API smk_status smk_softargmax_f16 (const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out);

SMK_API smk_status smk_logsumexp_bf16  (const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out);
SMK_API smk_status smk_softmax_bf16    (const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_bf16 *y, size_t ldy);
SMK_API smk_status smk_log_softmax_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_bf16 *y, size_t ldy);
SMK_API smk_status smk_softargmax_bf16 (const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out);

/* ---- Backward (smoothkit_train.h): g is one float per row for logsumexp and soft-argmax
 * (the gradient of a float output), a storage matrix otherwise; dx in the storage type. */
SMK_API smk_status smk_logsumexp_backward_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx,
                                              const float *g, float t, smk_f16 *dx, size_t lddx);
SMK_API smk_status smk_softmax_backward_f16(const smk_f16 *p, size_t rows, size_t cols, size_t ldp,
                                            const smk_f16 *g, size_t ldg, float t, smk_f16 *dx, size_t lddx);
SMK_API smk_status smk_log_softmax_backward_f16(const smk_f16 *y, size_t rows, size_t cols, size_t ldy,
                                                smk_prob_form form, const smk_f16 *g, size_t ldg, float t,
                                                smk_f16 *dx, size_t lddx);
SMK_API smk_status smk_softargmax_backward_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx,
                                               const float *g, float t, smk_f16 *dx, size_t lddx);

SMK_API smk_status smk_logsumexp_backward_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx,
                                               const float *g, float t, smk_bf16 *dx, size_t lddx);
SMK_API smk_status smk_softmax_backward_bf16(const smk_bf16 *p, size_t rows, size_t cols, size_t ldp,
                                             const smk_bf16 *g, size_t ldg, float t, smk_bf16 *dx, size_t lddx);
SMK_API smk_status smk_log_softmax_backward_bf16(const smk_bf16 *y, size_t rows, size_t cols, size_t ldy,
                                                 smk_prob_form form, const smk_bf16 *g, size_t ldg, float t,
                                                 smk_bf16 *dx, size_t lddx);
SMK_API smk_status smk_softargmax_backward_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx,
                                                const float *g, float t, smk_bf16 *dx, size_t lddx);

/* ---- Fused cross-entropy (smoothkit_train.h): loss in float, dx (may be NULL, may be x) in
 * the storage type; soft targets in the storage type. SUM and MEAN add the rows' losses in
 * double. */
SMK_API smk_status smk_cross_entropy_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx,
                                         const int64_t *labels, int64_t ignore, float smoothing, float t,
                                         smk_reduction reduction, float *loss, smk_f16 *dx, size_t lddx);
SMK_API smk_status smk_cross_entropy_soft_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx,
                                              const smk_f16 *target, size_t ldq, float smoothing, float t,
                                              smk_reduction reduction, float *loss, smk_f16 *dx, size_t lddx);
SMK_API smk_status smk_cross_entropy_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx,
                                          const int64_t *labels, int64_t ignore, float smoothing, float t,
                                          smk_reduction reduction, float *loss, smk_bf16 *dx, size_t lddx);
SMK_API smk_status smk_cross_entropy_soft_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx,
                                               const smk_bf16 *target, size_t ldq, float smoothing, float t,
                                               smk_reduction reduction, float *loss, smk_bf16 *dx, size_t lddx);

#ifdef __cplusplus
}
#endif

#endif /* SMOOTHKIT_HALF_H */
