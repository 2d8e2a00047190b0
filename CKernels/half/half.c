/* half.c — the float16 / bfloat16 entry points (smoothkit_half.h): the argument checks of the
 * float form (with 2-byte elements), then
 *   - the four row ops: one kernel over the storage itself (kernels/ops_half.def: rowops.inc
 *     converting in registers as it loads and stores);
 *   - the backward ops and the cross-entropy: blocks of rows widened into float scratch, the
 *     float entry point run on the scratch (in place), and the storage outputs narrowed back.
 *
 * Block: as many whole rows as fit in BLOCK_FLOATS floats, or one row when a row is longer (on
 * the stack up to STACK_FLOATS entries, past that in a heap buffer). The float kernel then reads and writes L1-resident data,
 * and memory sees 2 bytes per element each way: half the traffic of the float op. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "smoothkit_half.h"
#include "internal.h"
#include "checks.h"
#include "half/convert.h"

/* Floats per operand per block: 4 KiB, so that the operands, their storage rows and the float
 * kernel's working set stay in L1: as fast as 16 KiB blocks, 1.3× blocks of 64 KiB or more
 * (docs/benchmarks.md). */
#define BLOCK_FLOATS 1024
/* Floats per operand on the stack: rows up to this long need no heap (32 KiB for two). */
#define STACK_FLOATS 4096

const smk_half_conv *smk_half_active_conv(void) {
    switch (smk_active_isa()) {
#if defined(__x86_64__)
    case SMK_ISA_AVX512: return &smk_half_conv_avx512;
#endif
#if defined(__x86_64__) || defined(__i386__)
    case SMK_ISA_AVX2: return &smk_half_conv_avx2; /* the AVX2 path requires F16C (dispatch.c) */
#endif
#if defined(__aarch64__)
    case SMK_ISA_NEON: return &smk_half_conv_neon;
#endif
    default: return &smk_half_conv_portable;
    }
}

typedef enum { HALF_F16, HALF_BF16 } half_kind;

/* ---- conversions ---------------------------------------------------------------------- */

typedef enum { F16_TO_F32, F32_TO_F16, BF16_TO_F32, F32_TO_BF16 } conv_dir;

static smk_status convert(conv_dir d, const void *src, size_t n, void *dst) {
    if (n == 0) return SMK_OK;
    if (!src || !dst) return SMK_ERR_NULL;
    const smk_half_conv *cv = smk_half_active_conv();
    switch (d) {
    case F16_TO_F32: cv->f16_to_f32(src, dst, n); break;
    case F32_TO_F16: cv->f32_to_f16(src, dst, n); break;
    case BF16_TO_F32: cv->bf16_to_f32(src, dst, n); break;
    case F32_TO_BF16: cv->f32_to_bf16(src, dst, n); break;
    }
    return SMK_OK;
}
smk_status smk_f16_to_f32(const smk_f16 *src, size_t n, float *dst) { return convert(F16_TO_F32, src, n, dst); }
smk_status smk_f32_to_f16(const float *src, size_t n, smk_f16 *dst) { return convert(F32_TO_F16, src, n, dst); }
smk_status smk_bf16_to_f32(const smk_bf16 *src, size_t n, float *dst) { return convert(BF16_TO_F32, src, n, dst); }
smk_status smk_f32_to_bf16(const float *src, size_t n, smk_bf16 *dst) { return convert(F32_TO_BF16, src, n, dst); }

/* ---- the block driver ----------------------------------------------------------------- */

/* One call: up to two storage inputs (x, p or y; g or a soft target), one storage output
 * (NULL: none), and what the op's float call needs besides. */
typedef struct half_call half_call;
/* The float op on rows [r0, r0 + n) widened into a (and b); ld = cols. *result receives the
 * scratch holding the storage output (a or b, written in place), or NULL. */
typedef smk_status (*block_fn)(half_call *c, size_t r0, size_t n, float *a, float *b, float **result);

struct half_call {
    half_kind kind;
    size_t rows, cols;
    const uint16_t *in[2];
    size_t ld_in[2];
    uint16_t *out;
    size_t ld_out;
    float t;
    float *fout;     /* per-row float results (reductions, a loss per row) */
    const float *g;  /* per-row float upstream gradients */
    int form;        /* log_softmax backward */
    const int64_t *labels;
    int64_t ignore;
    float smoothing;
    smk_reduction reduction;
    double loss_sum; /* SUM / MEAN cross-entropy: the blocks' losses */
    double dx_scale; /* MEAN cross-entropy: 1/count on dx (1 otherwise) */
};

static void widen_rows(const smk_half_conv *cv, half_kind k, const uint16_t *src, size_t ld, size_t rows,
                       size_t cols, float *dst) {
    void (*f)(const uint16_t *, float *, size_t) = k == HALF_F16 ? cv->f16_to_f32 : cv->bf16_to_f32;
    for (size_t r = 0; r < rows; ++r) f(src + r * ld, dst + r * cols, cols);
}

static void narrow_rows(const smk_half_conv *cv, half_kind k, const float *src, size_t rows, size_t cols,
                        uint16_t *dst, size_t ld) {
    void (*f)(const float *, uint16_t *, size_t) = k == HALF_F16 ? cv->f32_to_f16 : cv->f32_to_bf16;
    for (size_t r = 0; r < rows; ++r) f(src + r * cols, dst + r * ld, cols);
}

/* Runs op over the rows of c block by block. Arguments are checked; nothing is written before
 * the scratch exists (SMK_ERR_COMPUTE if a long row's heap buffer cannot be had). */
static smk_status run_blocks(half_call *c, block_fn op) {
    float stack_a[STACK_FLOATS], stack_b[STACK_FLOATS];
    float *a = stack_a, *b = stack_b, *heap = NULL;
    const size_t cols = c->cols;
    size_t per_block = cols == 0 ? c->rows : cols > BLOCK_FLOATS ? 1 : BLOCK_FLOATS / cols;
    if (cols > STACK_FLOATS) { /* one row at a time, on the heap */
        heap = malloc((c->in[1] ? 2 : 1) * cols * sizeof(float));
        if (!heap) return SMK_ERR_COMPUTE;
        a = heap, b = c->in[1] ? heap + cols : NULL;
    }
    const smk_half_conv *cv = smk_half_active_conv();
    smk_status s = SMK_OK;
    for (size_t r0 = 0; r0 < c->rows && s == SMK_OK; r0 += per_block) {
        const size_t n = c->rows - r0 < per_block ? c->rows - r0 : per_block;
        for (int k = 0; k < 2; ++k)
            if (c->in[k] && cols > 0)
                widen_rows(cv, c->kind, c->in[k] + r0 * c->ld_in[k], c->ld_in[k], n, cols, k ? b : a);
        float *result = NULL;
        s = op(c, r0, n, a, b, &result);
        if (result && c->out && cols > 0) narrow_rows(cv, c->kind, result, n, cols, c->out + r0 * c->ld_out, c->ld_out);
    }
    free(heap);
    return s;
}

/* ---- the ops on one block (the float entry points, in place on the scratch) ------------- */

static smk_status logsumexp_backward_block(half_call *c, size_t r0, size_t n, float *a, float *b, float **result) {
    (void)b;
    *result = a;
    return smk_logsumexp_backward_f32(a, n, c->cols, c->cols, c->g + r0, c->t, a, c->cols);
}
static smk_status softargmax_backward_block(half_call *c, size_t r0, size_t n, float *a, float *b, float **result) {
    (void)b;
    *result = a;
    return smk_softargmax_backward_f32(a, n, c->cols, c->cols, c->g + r0, c->t, a, c->cols);
}
static smk_status softmax_backward_block(half_call *c, size_t r0, size_t n, float *a, float *b, float **result) {
    (void)r0;
    *result = b;
    return smk_softmax_backward_f32(a, n, c->cols, c->cols, b, c->cols, c->t, b, c->cols);
}
static smk_status log_softmax_backward_block(half_call *c, size_t r0, size_t n, float *a, float *b,
                                             float **result) {
    (void)r0;
    *result = b;
    return smk_log_softmax_backward_f32(a, n, c->cols, c->cols, (smk_prob_form)c->form, b, c->cols, c->t, b,
                                        c->cols);
}

/* Cross-entropy: NONE writes the block's losses in place; SUM and MEAN run the block as SUM
 * and add its loss to c->loss_sum; MEAN then scales dx by c->dx_scale (1/count). */
static smk_status cross_entropy_block(half_call *c, size_t r0, size_t n, float *a, float *b, float **result) {
    const smk_reduction red = c->reduction == SMK_REDUCE_NONE ? SMK_REDUCE_NONE : SMK_REDUCE_SUM;
    float block_loss = 0;
    float *loss = red == SMK_REDUCE_NONE ? c->fout + r0 : &block_loss;
    float *dx = c->out ? a : NULL;
    const size_t cols = c->cols;
    const smk_status s =
        c->labels ? smk_cross_entropy_f32(a, n, cols, cols, c->labels + r0, c->ignore, c->smoothing, c->t, red, loss,
                                          dx, cols)
                  : smk_cross_entropy_soft_f32(a, n, cols, cols, b, cols, c->smoothing, c->t, red, loss, dx, cols);
    c->loss_sum += block_loss;
    if (dx && c->dx_scale != 1)
        for (size_t i = 0; i < n * cols; ++i) dx[i] = (float)(dx[i] * c->dx_scale);
    *result = dx;
    return s;
}

/* ---- argument checks (the order of api.c and train/train.c), then the blocks ------------ */

#define ELEM sizeof(uint16_t)

/* Reductions: x (rows × cols, ldx) → out[rows]; an empty row gets `empty` (SPEC §1). */
typedef void (*reduce_kernel)(const uint16_t *x, size_t rows, size_t cols, size_t ldx, float t, float *out);
static smk_status reduce(reduce_kernel kernel, float empty, const uint16_t *x, size_t rows, size_t cols, size_t ldx,
                         float t, float *out) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok(t)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldx, ELEM)) return SMK_ERR_SHAPE;
    if (!out || (cols > 0 && !x)) return SMK_ERR_NULL;
    if (cols == 0) {
        for (size_t r = 0; r < rows; ++r) out[r] = empty;
        return SMK_OK;
    }
    kernel(x, rows, cols, ldx, t, out);
    return SMK_OK;
}

/* Maps: x → y (y == x with ldy == ldx allowed). Softmax (work) gets its 2·cols float work
 * rows on the stack, or on the heap for rows past STACK_FLOATS (SMK_ERR_COMPUTE, nothing
 * written, if that fails); log_softmax none. */
typedef void (*map_kernel)(const uint16_t *x, size_t rows, size_t cols, size_t ldx, float t, uint16_t *y, size_t ldy,
                           float *work);
static smk_status map(map_kernel kernel, int work_rows, const uint16_t *x, size_t rows, size_t cols, size_t ldx,
                      float t, uint16_t *y, size_t ldy) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok(t)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldx, ELEM) || !smk_extent_ok(rows, cols, ldy, ELEM)) return SMK_ERR_SHAPE;
    if (!y || (cols > 0 && !x)) return SMK_ERR_NULL;
    if (cols == 0) return SMK_OK;
    float stack[2 * STACK_FLOATS], *work = work_rows ? stack : NULL, *heap = NULL;
    if (work_rows && cols > STACK_FLOATS) {
        heap = malloc(2 * cols * sizeof(float));
        if (!heap) return SMK_ERR_COMPUTE;
        work = heap;
    }
    kernel(x, rows, cols, ldx, t, y, ldy, work);
    free(heap);
    return SMK_OK;
}

/* logsumexp and soft-argmax backward: from x and one float g per row. */
static smk_status backward_from_x(half_kind k, block_fn op, const uint16_t *x, size_t rows, size_t cols,
                                  size_t ldx, const float *g, float t, uint16_t *dx, size_t lddx) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok(t)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldx, ELEM) || !smk_extent_ok(rows, cols, lddx, ELEM)) return SMK_ERR_SHAPE;
    if (!g || !dx || (cols > 0 && !x)) return SMK_ERR_NULL;
    half_call c = {.kind = k, .rows = rows, .cols = cols, .in = {x}, .ld_in = {ldx}, .t = t, .out = dx,
                   .ld_out = lddx, .g = g};
    return run_blocks(&c, op);
}

/* softmax and log_softmax backward: from the forward output y and a storage matrix g. */
static smk_status backward_from_y(half_kind k, block_fn op, const uint16_t *y, size_t rows, size_t cols,
                                  size_t ldy, int form, const uint16_t *g, size_t ldg, float t, uint16_t *dx,
                                  size_t lddx) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok(t)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldy, ELEM) || !smk_extent_ok(rows, cols, ldg, ELEM) ||
        !smk_extent_ok(rows, cols, lddx, ELEM))
        return SMK_ERR_SHAPE;
    if (!dx || (cols > 0 && (!y || !g))) return SMK_ERR_NULL;
    if (form != SMK_FORM_LOG_PROB && form != SMK_FORM_PROB) return SMK_ERR_DOMAIN;
    if (cols == 0) return SMK_OK;
    half_call c = {.kind = k, .rows = rows, .cols = cols, .in = {y, g}, .ld_in = {ldy, ldg}, .t = t, .out = dx,
                   .ld_out = lddx, .form = form};
    return run_blocks(&c, op);
}

/* Both cross-entropy forms: labels (soft == 0) or a soft target (NULL allowed when cols == 0). */
static smk_status cross_entropy(half_kind k, int soft, const uint16_t *x, size_t rows, size_t cols, size_t ldx,
                                const int64_t *labels, int64_t ignore, const uint16_t *target, size_t ldq,
                                float eps, float t, smk_reduction red, float *loss, uint16_t *dx, size_t lddx) {
    if (rows == 0) return SMK_OK;
    if (!smk_temperature_ok(t)) return SMK_ERR_TEMPERATURE;
    if (!smk_extent_ok(rows, cols, ldx, ELEM) || (dx && !smk_extent_ok(rows, cols, lddx, ELEM)) ||
        (soft && !smk_extent_ok(rows, cols, ldq, ELEM)))
        return SMK_ERR_SHAPE;
    if (!loss || (cols > 0 && !x) || (soft ? !target && cols > 0 : !labels)) return SMK_ERR_NULL;
    if (!(eps >= 0 && eps <= 1)) return SMK_ERR_DOMAIN; /* also NaN */
    if (red != SMK_REDUCE_NONE && red != SMK_REDUCE_MEAN && red != SMK_REDUCE_SUM) return SMK_ERR_DOMAIN;
    size_t counted = rows;
    if (!soft)
        for (size_t r = 0; r < rows; ++r) {
            if (labels[r] != ignore && (labels[r] < 0 || (uint64_t)labels[r] >= cols)) return SMK_ERR_DOMAIN;
            counted -= labels[r] == ignore;
        }
    half_call c = {.kind = k, .rows = rows, .cols = cols, .in = {x, soft ? target : NULL},
                   .ld_in = {ldx, ldq}, .t = t, .out = dx, .ld_out = lddx, .fout = loss, .labels = labels,
                   .ignore = ignore, .smoothing = eps, .reduction = red, .dx_scale = 1};
    if (red == SMK_REDUCE_MEAN && counted > 0) c.dx_scale = 1.0 / (double)counted;
    const smk_status s = run_blocks(&c, cross_entropy_block);
    if (s == SMK_OK && red == SMK_REDUCE_SUM) loss[0] = (float)c.loss_sum;
    if (s == SMK_OK && red == SMK_REDUCE_MEAN) loss[0] = (float)(c.loss_sum / (double)counted); /* 0/0: NaN */
    return s;
}

/* ---- entry points --------------------------------------------------------------------- */

smk_status smk_logsumexp_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return reduce(smk_active_kernels()->logsumexp_f16, -INFINITY, x, rows, cols, ldx, t, out);
}
smk_status smk_logsumexp_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return reduce(smk_active_kernels()->logsumexp_bf16, -INFINITY, x, rows, cols, ldx, t, out);
}
smk_status smk_softargmax_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return reduce(smk_active_kernels()->softargmax_f16, NAN, x, rows, cols, ldx, t, out);
}
smk_status smk_softargmax_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, float *out) {
    return reduce(smk_active_kernels()->softargmax_bf16, NAN, x, rows, cols, ldx, t, out);
}
smk_status smk_softmax_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_f16 *y, size_t ldy) {
    return map(smk_active_kernels()->softmax_f16, 1, x, rows, cols, ldx, t, y, ldy);
}
smk_status smk_softmax_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_bf16 *y,
                            size_t ldy) {
    return map(smk_active_kernels()->softmax_bf16, 1, x, rows, cols, ldx, t, y, ldy);
}
smk_status smk_log_softmax_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_f16 *y,
                               size_t ldy) {
    return map(smk_active_kernels()->log_softmax_f16, 0, x, rows, cols, ldx, t, y, ldy);
}
smk_status smk_log_softmax_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, float t, smk_bf16 *y,
                                size_t ldy) {
    return map(smk_active_kernels()->log_softmax_bf16, 0, x, rows, cols, ldx, t, y, ldy);
}

smk_status smk_logsumexp_backward_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, const float *g,
                                      float t, smk_f16 *dx, size_t lddx) {
    return backward_from_x(HALF_F16, logsumexp_backward_block, x, rows, cols, ldx, g, t, dx, lddx);
}
smk_status smk_logsumexp_backward_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, const float *g,
                                       float t, smk_bf16 *dx, size_t lddx) {
    return backward_from_x(HALF_BF16, logsumexp_backward_block, x, rows, cols, ldx, g, t, dx, lddx);
}
smk_status smk_softargmax_backward_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, const float *g,
                                       float t, smk_f16 *dx, size_t lddx) {
    return backward_from_x(HALF_F16, softargmax_backward_block, x, rows, cols, ldx, g, t, dx, lddx);
}
smk_status smk_softargmax_backward_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, const float *g,
                                        float t, smk_bf16 *dx, size_t lddx) {
    return backward_from_x(HALF_BF16, softargmax_backward_block, x, rows, cols, ldx, g, t, dx, lddx);
}
smk_status smk_softmax_backward_f16(const smk_f16 *p, size_t rows, size_t cols, size_t ldp, const smk_f16 *g,
                                    size_t ldg, float t, smk_f16 *dx, size_t lddx) {
    return backward_from_y(HALF_F16, softmax_backward_block, p, rows, cols, ldp, SMK_FORM_PROB, g, ldg, t, dx, lddx);
}
smk_status smk_softmax_backward_bf16(const smk_bf16 *p, size_t rows, size_t cols, size_t ldp, const smk_bf16 *g,
                                     size_t ldg, float t, smk_bf16 *dx, size_t lddx) {
    return backward_from_y(HALF_BF16, softmax_backward_block, p, rows, cols, ldp, SMK_FORM_PROB, g, ldg, t, dx,
                           lddx);
}
smk_status smk_log_softmax_backward_f16(const smk_f16 *y, size_t rows, size_t cols, size_t ldy, smk_prob_form form,
                                        const smk_f16 *g, size_t ldg, float t, smk_f16 *dx, size_t lddx) {
    return backward_from_y(HALF_F16, log_softmax_backward_block, y, rows, cols, ldy, (int)form, g, ldg, t, dx, lddx);
}
smk_status smk_log_softmax_backward_bf16(const smk_bf16 *y, size_t rows, size_t cols, size_t ldy,
                                         smk_prob_form form, const smk_bf16 *g, size_t ldg, float t, smk_bf16 *dx,
                                         size_t lddx) {
    return backward_from_y(HALF_BF16, log_softmax_backward_block, y, rows, cols, ldy, (int)form, g, ldg, t, dx,
                           lddx);
}

smk_status smk_cross_entropy_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, const int64_t *labels,
                                 int64_t ignore, float smoothing, float t, smk_reduction reduction, float *loss,
                                 smk_f16 *dx, size_t lddx) {
    return cross_entropy(HALF_F16, 0, x, rows, cols, ldx, labels, ignore, NULL, cols, smoothing, t, reduction, loss,
                         dx, lddx);
}
smk_status smk_cross_entropy_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx, const int64_t *labels,
                                  int64_t ignore, float smoothing, float t, smk_reduction reduction, float *loss,
                                  smk_bf16 *dx, size_t lddx) {
    return cross_entropy(HALF_BF16, 0, x, rows, cols, ldx, labels, ignore, NULL, cols, smoothing, t, reduction, loss,
                         dx, lddx);
}
smk_status smk_cross_entropy_soft_f16(const smk_f16 *x, size_t rows, size_t cols, size_t ldx, const smk_f16 *target,
                                      size_t ldq, float smoothing, float t, smk_reduction reduction, float *loss,
                                      smk_f16 *dx, size_t lddx) {
    return cross_entropy(HALF_F16, 1, x, rows, cols, ldx, NULL, 0, target, ldq, smoothing, t, reduction, loss, dx,
                         lddx);
}
smk_status smk_cross_entropy_soft_bf16(const smk_bf16 *x, size_t rows, size_t cols, size_t ldx,
                                       const smk_bf16 *target, size_t ldq, float smoothing, float t,
                                       smk_reduction reduction, float *loss, smk_bf16 *dx, size_t lddx) {
    return cross_entropy(HALF_BF16, 1, x, rows, cols, ldx, NULL, 0, target, ldq, smoothing, t, reduction, loss, dx,
                         lddx);
}
