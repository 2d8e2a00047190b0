/* fuzz_rowops.c — libFuzzer target for the eight row-op entry points of smoothkit.h.
 *
 * Build and run: scripts/fuzz SECONDS (clang -fsanitize=fuzzer,address,undefined, straight
 * from the C sources). A crash input is a file libFuzzer writes; replay it with
 * `fuzz_rowops FILE`.
 *
 * One input is one call. Its bytes decode as (a missing byte reads as 0):
 *   [0] flags   bits 0-1 op (logsumexp, softmax, log_softmax, softargmax)
 *               bit 2 double, bit 3 in place (maps only), bit 4 x = NULL, bit 5 out = NULL,
 *               bit 6 raw data (else byte-coded), bit 7 huge cols (a SHAPE error)
 *   [1] ISA     index into the paths smk_isa_supported() accepts
 *   [2] rows    % 17
 *   [3-4] cols  little-endian, & 0x3fff (past logsumexp's one-pass threshold, 32 KiB)
 *   [5] ldx     b < 0xf0: cols + (b % 16) − 3 (so sometimes < cols); else huge_ld[b & 15]
 *   [6] ldy     the same, for maps
 *   [7] τ       b < 0x80: SPECIAL_T[b % count]; else raw bits in the next sizeof(T) bytes
 *   then the data, row-major over rows × cols: byte-coded, one byte per element
 *   (b < 32: SPECIAL_X[b], else the grid (b − 144)/8, so ties are common), or raw bits.
 *   When the bytes run out the decoded elements repeat, so short inputs make long rows.
 *
 * Every call is checked against a model of SPEC §1 written here, independently of the
 * library:
 *   - status: OK exactly when no argument rule is broken; else one of the broken rules'
 *     codes (SPEC does not rank them);
 *   - on error: no byte of the output, its guard zones or the input changed;
 *   - on OK: guard zones (canaries before and after the output), gaps between output rows
 *     (ldy > cols) and the input (unless in place) unchanged; every output element follows
 *     SPEC §1's edge table exactly and its accuracy bounds against a scalar long-double
 *     reference (classic max-subtract, compensated sum). Where the true value is out of
 *     T's range, the correctly rounded value (±∞) is also accepted.
 * The input is an exact-size heap block, so AddressSanitizer reports any read past it;
 * gaps between input rows hold NaN, so a kernel that reads them makes a finite row NaN.
 * fuzz_common.h, fuzz_values.inc (the reference and the row check) and fuzz_each_type.h are
 * shared with fuzz_train.c. */
#include "fuzz_common.h"

enum { OP_LSE, OP_SOFTMAX, OP_LOG_SOFTMAX, OP_SOFTARGMAX }; /* = smk_row_op */
static const char *const op_name[] = {"logsumexp", "softmax", "log_softmax", "softargmax"};

#define FUZZ_BODY "fuzz_body.inc"
#include "fuzz_each_type.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    uint8_t flags = next_byte(&r);
    force_isa(next_byte(&r));
    if (flags & 4)
        run_f64(flags, &r);
    else
        run_f32(flags, &r);
    return 0;
}
