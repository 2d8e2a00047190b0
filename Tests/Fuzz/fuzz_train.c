/* fuzz_train.c — libFuzzer target for the training entry points of smoothkit_train.h that
 * reduce rows as SPEC §1 does: the masked and ragged ops (byte mask and lengths), the
 * column-wise (axis 0) ops and the fused cross-entropy (labels and soft targets).
 *
 * Build and run: scripts/fuzz SECONDS (shares the time with fuzz_rowops.c); replay a file
 * with `scripts/fuzz --replay FILE`. The seeds come from make-seeds.py (corpus-train/).
 *
 * One input is one call. Its bytes decode as (a missing byte reads as 0):
 *   [0] flags   bits 0-1 family: masked, column, cross-entropy (labels), cross-entropy (soft)
 *               bits 2-3 masked and column: the op (smk_row_op); cross-entropy: the reduction
 *                        (3 is out of range: SMK_ERR_DOMAIN)
 *               bit 4 double, bit 5 in place (maps: y = x; cross-entropy: dx = x),
 *               bit 6 raw data (else byte-coded), bit 7 huge cols (a SHAPE error)
 *   [1] ISA     index into the paths smk_isa_supported() accepts
 *   [2] options bit 0 x = NULL, bit 1 out = NULL (out, y or loss),
 *               bit 2 masked: lengths given; cross-entropy: dx given (else loss only),
 *               bit 3 masked: byte mask given; cross-entropy: labels or target = NULL,
 *               bits 4-7 cross-entropy: ignore = −100 for 0-7, else the class (b >> 4) − 8
 *   [3] rows    b < 0xc0: b % 17; else 17 + 61·(b − 0xc0) (tall columns; cols then & 0xff)
 *   [4-5] cols  little-endian, & 0x3fff
 *   [6] ldx, [7] ldy (y or dx), [8] ldm (mask) or ldq (target): as fuzz_rowops.c's ld bytes
 *   [9] τ       as fuzz_rowops.c
 *   [10] ε      cross-entropy's label smoothing: an index into SMOOTHING (valid and not)
 *   then, masked with lengths and cross-entropy with labels: one byte per row
 *     lengths: b < 0xf8: b % (cols + 1), else a value out of [0, cols] (BAD_LENGTH)
 *     labels:  b < 0xe0: b % cols, b < 0xf0: ignore, else a class out of [0, cols)
 *   then, masked with a mask and soft cross-entropy: a period P = b % 64 + 1 and P bytes;
 *     entry (r, i) takes byte (r·cols + i) % P: mask kept when != 0, target (b % 64)/32
 *   then the data x, as fuzz_rowops.c (byte-coded or raw, repeated when the bytes run out).
 *   Per-row bytes also repeat when the input runs out.
 *
 * Every call is checked against a model written here from smoothkit_train.h, SPEC §1 and
 * docs/training.md, independently of the library:
 *   - status: OK exactly when no argument rule is broken; else one of the broken rules' codes;
 *   - on error (and for calls that do nothing): no byte of any output, its guard zones or any
 *     input (x, lengths, mask, labels, target) changed;
 *   - on OK: guard zones, gaps between output rows and the inputs (unless in place)
 *     unchanged; every output element against a scalar long-double reference:
 *       masked: the row with every left-out entry replaced by −∞ through SPEC §1's edge table
 *         and bounds; maps 0 / −∞ at left-out entries, also in a NaN row. x is NaN at
 *         i ≥ lengths[r], so a kernel that reads it there makes the row wrong;
 *       column: each column gathered and checked as a row (the bounds with n = rows; rows == 0
 *         gives logsumexp −∞ and soft-argmax NaN);
 *       cross-entropy: q = (1 − ε)·(onehot | target) + ε/n, loss_r = −Σ_{q_i≠0} q_i·log p_i
 *         within 16u·Σ q_i·max(1, |log p_i|) (log p_i: log_softmax's 8u, one more for the
 *         term), dx_i = (p_i·Σq − q_i)·scale/τ within 16u·(p_i·Σq + q_i)·scale/τ plus
 *         softmax's absolute floor and the subnormal spacing; ignored rows loss 0 and dx 0;
 *         SUM and MEAN (over rows not ignored, 0/0 = NaN) from the per-row references.
 *       log p_i and p_i are SPEC §1's forward outputs: a log p past T's range is −∞, and so
 *       is a term ε/n that rounds to 0 in T (it counts 0).
 * Buffers are exact-size heap blocks (AddressSanitizer reports a read past them). */
#include "fuzz_common.h"

enum { FAM_MASKED, FAM_COLUMN, FAM_CE_LABELS, FAM_CE_SOFT };
static const char *const family_name[] = {"masked", "col", "cross_entropy", "cross_entropy_soft"};
static const char *const op_name[] = {"logsumexp", "softmax", "log_softmax", "softargmax"};

/* Lengths out of [0, cols]: negative, one past, and values that wrap when cast to size_t or
 * compared as unsigned. */
static int64_t bad_length(uint8_t b, size_t cols) {
    switch (b & 7) {
    case 0: return -1;
    case 1: return (int64_t)cols + 1;
    case 2: return INT64_MIN;
    case 3: return INT64_MAX;
    case 4: return (int64_t)cols + ((int64_t)1 << 32);
    case 5: return -((int64_t)1 << 32) + (int64_t)cols;
    case 6: return (int64_t)cols + 64;
    default: return -(int64_t)cols - 1;
    }
}

/* Reads n bytes; once the input runs out, the bytes read so far repeat (zeros if none). */
static void read_cycled(reader *r, uint8_t *dst, size_t n) {
    size_t got = 0;
    for (size_t i = 0; i < n; ++i) {
        if (r->at < r->n) dst[got++] = next_byte(r);
        else dst[i] = got ? dst[i % got] : 0;
    }
}

#define FUZZ_BODY "fuzz_train_body.inc"
#include "fuzz_each_type.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    uint8_t flags = next_byte(&r);
    force_isa(next_byte(&r));
    if (flags & 16)
        run_f64(flags, &r);
    else
        run_f32(flags, &r);
    return 0;
}
