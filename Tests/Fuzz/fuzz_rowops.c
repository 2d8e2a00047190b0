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
 * gaps between input rows hold NaN, so a kernel that reads them makes a finite row NaN. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "smoothkit.h"

typedef long double R; /* the reference precision: 64-bit mantissa on x86-64 */

enum { OP_LSE, OP_SOFTMAX, OP_LOG_SOFTMAX, OP_SOFTARGMAX };
static const char *const op_name[] = {"logsumexp", "softmax", "log_softmax", "softargmax"};

/* Guard zone on each side of an output buffer, in bytes, filled with CANARY. */
#define GUARD_BYTES 256
#define CANARY 0xA5
/* Past this many input elements a valid call is skipped (only reachable with rows = 1 and a
 * huge ld, or cols == 0 with a huge ld, which are kept). */
#define MAX_ELEMS (1u << 16)

/* ---- the input reader -------------------------------------------------------------- */

typedef struct {
    const uint8_t *p;
    size_t n, at;
} reader;

static uint8_t next_byte(reader *r) { return r->at < r->n ? r->p[r->at++] : 0; }
static void next_bytes(reader *r, void *dst, size_t k) {
    for (size_t i = 0; i < k; ++i) ((uint8_t *)dst)[i] = next_byte(r);
}

/* ---- the argument model (SPEC §1 "Arguments") ---------------------------------------- */

/* ld ≥ cols and ((rows − 1)·ld + cols)·elem ≤ PTRDIFF_MAX, in 128-bit arithmetic. */
static int model_extent_ok(size_t rows, size_t cols, size_t ld, size_t elem) {
    if (ld < cols) return 0;
    unsigned __int128 e = (unsigned __int128)(rows - 1) * ld + cols;
    return e * elem <= (unsigned __int128)PTRDIFF_MAX;
}

#define ERR_BIT(s) (1u << (s))

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "\nfuzz_rowops: FAILURE: %s: %s\n", what, detail);
    abort();
}

static int bytes_equal(const void *a, const void *b, size_t n) { return n == 0 || memcmp(a, b, n) == 0; }

static int isa_count(smk_isa *list) {
    static const smk_isa all[] = {SMK_ISA_PORTABLE, SMK_ISA_AVX2, SMK_ISA_AVX512, SMK_ISA_NEON};
    int k = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        if (smk_isa_supported(all[i])) list[k++] = all[i];
    return k;
}

/* ld from one byte: usually cols + (b % 16) − 3 (below cols for 0..2), else a huge value
 * aimed at the extent rule: size_t overflow of rows·ld, of the byte count, and the exact
 * PTRDIFF_MAX boundary. */
static size_t decode_ld(uint8_t b, size_t rows, size_t cols, size_t elem) {
    if (b < 0xf0) return cols + (size_t)(b % 16) - 3; /* wraps below 0 for tiny cols: huge */
    const size_t lim = (size_t)PTRDIFF_MAX / elem, r1 = rows > 1 ? rows - 1 : 1;
    const size_t edge = cols <= lim ? (lim - cols) / r1 : 0; /* largest valid ld for rows ≥ 2 */
    switch (b & 15) {
    case 0: return SIZE_MAX;
    case 1: return SIZE_MAX / 2 + 1;
    case 2: return (size_t)PTRDIFF_MAX;
    case 3: return lim;
    case 4: return lim + 1;
    case 5: return edge + 1;
    case 6: return edge;
    case 7: return SIZE_MAX / r1 + 1;          /* (rows − 1)·ld wraps */
    case 8: return SIZE_MAX / elem / r1 + 1;   /* the byte count wraps */
    case 9: return (size_t)1 << 62;
    case 10: return (size_t)1 << 32;
    case 11: return (size_t)1 << 31;
    case 12: return cols;
    case 13: return cols + 1;
    case 14: return cols - 1;
    default: return 0;
    }
}

/* cols past every limit (flag bit 7), and the largest valid one for rows = 1. */
static size_t huge_cols(unsigned b, size_t elem) {
    const size_t lim = (size_t)PTRDIFF_MAX / elem;
    switch (b & 3) {
    case 0: return lim + 1;
    case 1: return SIZE_MAX;
    case 2: return SIZE_MAX / elem + 1;
    default: return lim;
    }
}

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name##_, SUF)
#define STR_(a) #a
#define STR(a) STR_(a)

/* ---- per element type -------------------------------------------------------------- */

#define T float
#define SUF f32
#define T_MAX FLT_MAX
#define T_MIN FLT_MIN
#define T_TRUE_MIN FLT_TRUE_MIN
#define T_EPS_U 0x1p-24L            /* u = 2^-24 */
#define P_FLOOR 0x1p-100L           /* softmax: relative bound above, absolute below */
#define T_HUGE_A 3e38f
#define T_EXP_EDGE 88.7f            /* ≈ log(FLT_MAX) */
#define TU uint32_t                 /* unsigned integer of T's size */
#define SENTINEL_BITS 0x7fa5a5a5u   /* a signalling NaN with a recognisable payload */
#include "fuzz_body.inc"
#undef T
#undef SUF
#undef T_MAX
#undef T_MIN
#undef T_TRUE_MIN
#undef T_EPS_U
#undef P_FLOOR
#undef T_HUGE_A
#undef T_EXP_EDGE
#undef TU
#undef SENTINEL_BITS

#define T double
#define SUF f64
#define T_MAX DBL_MAX
#define T_MIN DBL_MIN
#define T_TRUE_MIN DBL_TRUE_MIN
#define T_EPS_U 0x1p-53L
#define P_FLOOR 0x1p-1000L
#define T_HUGE_A 1e308
#define T_EXP_EDGE 709.7
#define TU uint64_t
#define SENTINEL_BITS 0x7ff5a5a5a5a5a5a5u
#include "fuzz_body.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    uint8_t flags = next_byte(&r);
    smk_isa isas[4];
    int k = isa_count(isas);
    smk_isa isa = isas[next_byte(&r) % k];
    if (smk_force_isa(isa) != SMK_OK) fail("smk_force_isa", "a supported ISA was refused");
    if (flags & 4)
        run_f64(flags, &r);
    else
        run_f32(flags, &r);
    return 0;
}
