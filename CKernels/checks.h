/* Argument rules shared by every entry point (SPEC §1, "Arguments"). */
#ifndef SMOOTHKIT_CHECKS_H
#define SMOOTHKIT_CHECKS_H
#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* τ (or any smoothing parameter) must be finite and > 0. */
static inline int smk_temperature_ok(double t) { return isfinite(t) && t > 0; }

/* ld ≥ cols and ((rows − 1)·ld + cols)·elem ≤ PTRDIFF_MAX, without overflow; rows ≥ 1. */
static inline int smk_extent_ok(size_t rows, size_t cols, size_t ld, size_t elem) {
    size_t n, bytes;
    if (ld < cols) return 0;
    if (__builtin_mul_overflow(rows - 1, ld, &n) || __builtin_add_overflow(n, cols, &n) ||
        __builtin_mul_overflow(n, elem, &bytes))
        return 0;
    return bytes <= (size_t)PTRDIFF_MAX;
}

/* The kernels form p + r·ld for every row: an empty matrix (cols == 0, where p may be NULL) is
 * handed to them as this stand-in, never read, with *ld = 0. */
static inline const void *smk_rows_or_stand_in(const void *p, size_t cols, size_t *ld) {
    static const double stand_in = 0; /* aligned for every element type */
    if (cols > 0) return p;
    *ld = 0;
    return &stand_in;
}
#endif
