/* catalog.c — the C entry points of the smoothing catalog (SPEC §2, smoothkit_catalog.h):
 * catalog_entries.h written once, instantiated here for float and double. */
#include <math.h>
#include <stdint.h>
#include "internal.h"
#include "checks.h"
#include "catalog/catalog_math.h"

#define SMK_CAT3_(a, b, c) a##b##c
#define SMK_CAT3(a, b, c) SMK_CAT3_(a, b, c)
/* SMK_NAME(smooth_abs_) → smk_smooth_abs_f32; LOCAL(check_array) → check_array_f32. */
#define SMK_NAME(op) SMK_CAT3(smk_, op, SUF)
#define LOCAL(name) SMK_CAT3(name, _, SUF)

#define T float
#define SUF f32
#include "catalog/catalog_entries.h"
#undef T
#undef SUF

#define T double
#define SUF f64
#include "catalog/catalog_entries.h"
#undef T
#undef SUF
