/* fuzz_common.h — what the libFuzzer targets fuzz_rowops.c and fuzz_train.c share apart from
 * the element type: the input reader, the argument model of SPEC §1 "Arguments", the decoding
 * of leading dimensions and huge sizes, the ISA choice and the failure report. */
#ifndef SMK_FUZZ_COMMON_H
#define SMK_FUZZ_COMMON_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "smoothkit.h"

typedef long double R; /* the reference precision: 64-bit mantissa on x86-64 */

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

/* The extent in elements of a rows × cols matrix with leading dimension ld (0 for no rows). */
static unsigned __int128 extent(size_t rows, size_t cols, size_t ld) {
    return rows ? (unsigned __int128)(rows - 1) * ld + cols : 0;
}

#define ERR_BIT(s) (1u << (s))

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "\nfuzz: FAILURE: %s: %s\n", what, detail);
    abort();
}

/* The status against the model's set of broken rules (SPEC does not rank them). */
static void check_status(smk_status st, unsigned errs, const char *desc) {
    char msg[600];
    if ((errs == 0 && st == SMK_OK) || (errs != 0 && st != SMK_OK && (errs & ERR_BIT(st)))) return;
    snprintf(msg, sizeof msg, "%s: status %d (%s), expected error set 0x%x", desc, (int)st, smk_status_string(st),
             errs);
    fail(errs == 0 ? "status: valid call rejected" : "status: wrong or missing error", msg);
}

static int bytes_equal(const void *a, const void *b, size_t n) { return n == 0 || memcmp(a, b, n) == 0; }

static int isa_count(smk_isa *list) {
    static const smk_isa all[] = {SMK_ISA_PORTABLE, SMK_ISA_AVX2, SMK_ISA_AVX512, SMK_ISA_NEON};
    int k = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        if (smk_isa_supported(all[i])) list[k++] = all[i];
    return k;
}

/* Forces the ISA path the byte picks among the supported ones. */
static void force_isa(uint8_t b) {
    smk_isa isas[4];
    int k = isa_count(isas);
    if (smk_force_isa(isas[b % k]) != SMK_OK) fail("smk_force_isa", "a supported ISA was refused");
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

/* cols past every limit, and the largest valid one for rows = 1. */
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

#endif /* SMK_FUZZ_COMMON_H */
