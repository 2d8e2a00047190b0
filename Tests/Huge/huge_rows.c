/* huge_rows.c — sizes past 32-bit indexing, through the C ABI (run by scripts/test-huge).
 *
 *   1. One float row of n = 2^31 + 17 elements (8 GiB, real memory; skipped with a message
 *      when MemAvailable is short):
 *        constant row c:  logsumexp = c + τ·log n, softargmax = (n − 1)/2,
 *                         softmax (in place) = 1/n everywhere, log_softmax (in place) = −log n;
 *        a spike s at the last index (past 2^31), zeros elsewhere:
 *                         logsumexp = τ·log(n − 1 + e^{s/τ}),
 *                         softargmax = ((n − 1)(n − 2)/2 + (n − 1)·e^{s/τ}) / (n − 1 + e^{s/τ}).
 *   2. Totals past 2^32 elements: 17 float rows of 2^28 and 33 double rows of 2^27 elements
 *      (4.6e9 and 4.4e9 elements), every row mapped onto the same 1 GiB of memory (memfd
 *      mapped at consecutive addresses), so row offsets r·ld pass 2^32 while only 1 GiB is
 *      resident. logsumexp and softargmax of every row against the constant-row closed form.
 *
 * Each check uses SPEC §1's bound against a long-double closed form. Exit status 0 when every
 * part passed or was skipped, 1 on a failure. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "smoothkit.h"

typedef long double R;
static const R U32 = 0x1p-24L, U64 = 0x1p-53L; /* u of float and double */
static int failures = 0;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* MemAvailable from /proc/meminfo, in bytes (0 if unknown). */
static size_t mem_available(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    size_t kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %zu kB", &kib) == 1) break;
    if (f) fclose(f);
    return kib * 1024;
}

static void check(const char *what, R got, R want, R bound) {
    int ok = fabsl(got - want) <= bound;
    printf("  %-58s got %.12Lg want %.12Lg |err| %.3Lg bound %.3Lg %s\n", what, got, want, fabsl(got - want), bound,
           ok ? "ok" : "FAIL");
    failures += !ok;
}

static void status_ok(const char *what, smk_status s) {
    if (s != SMK_OK) {
        printf("  %s: status %s: FAIL\n", what, smk_status_string(s));
        failures++;
    }
}

/* Part 1: one float row of 2^31 + 17 elements. */
static void one_long_row(void) {
    const size_t n = ((size_t)1 << 31) + 17;
    const size_t bytes = n * sizeof(float), need = bytes + ((size_t)1 << 30);
    if (mem_available() < need) {
        printf("part 1 SKIPPED: one row of 2^31+17 floats needs %.1f GiB free, MemAvailable is %.1f GiB\n",
               need / 1073741824.0, mem_available() / 1073741824.0);
        return;
    }
    printf("part 1: one float row, n = 2^31 + 17 = %zu (%.1f GiB)\n", n, bytes / 1073741824.0);
    float *x = malloc(bytes);
    if (!x) {
        printf("part 1 SKIPPED: malloc of %zu bytes failed\n", bytes);
        return;
    }
    const float c = 0.5f, tau = 2.0f;
    const R ln = logl((R)n);
    double t0 = now();
    for (size_t i = 0; i < n; ++i) x[i] = c;
    float lse = 0, arg = 0;
    status_ok("logsumexp", smk_logsumexp_f32(x, 1, n, n, tau, &lse));
    check("constant row: logsumexp = c + tau log n", lse, c + tau * ln, 8 * U32 * fmaxl(fabsl(c + tau * ln), tau));
    status_ok("softargmax", smk_softargmax_f32(x, 1, n, n, tau, &arg));
    check("constant row: softargmax = (n-1)/2", arg, ((R)n - 1) / 2, 8 * U32 * (R)n);

    status_ok("softmax in place", smk_softmax_f32(x, 1, n, n, tau, x, n));
    R worst = 0, sum = 0;
    for (size_t i = 0; i < n; ++i) {
        R e = fabsl(x[i] - 1.0L / (R)n);
        worst = e > worst ? e : worst;
        sum += x[i];
    }
    check("constant row: softmax = 1/n (worst element)", 1.0L / (R)n + worst, 1.0L / (R)n, 8 * U32 / (R)n);
    check("constant row: |sum p - 1| <= 8u sqrt(n)", sum, 1, 8 * U32 * sqrtl((R)n));

    for (size_t i = 0; i < n; ++i) x[i] = c;
    status_ok("log_softmax in place", smk_log_softmax_f32(x, 1, n, n, tau, x, n));
    worst = 0;
    for (size_t i = 0; i < n; ++i) {
        R e = fabsl(x[i] + ln);
        worst = e > worst ? e : worst;
    }
    check("constant row: log_softmax = -log n (worst element)", -ln + worst, -ln, 8 * U32 * ln);

    /* A spike at index n − 1 > 2^31: it must be read where it is. */
    const float s = 60.0f;
    for (size_t i = 0; i < n; ++i) x[i] = 0;
    x[n - 1] = s;
    const R es = expl((R)s / tau), m1 = (R)n - 1;
    status_ok("logsumexp", smk_logsumexp_f32(x, 1, n, n, tau, &lse));
    R want = tau * logl(m1 + es);
    check("spike at n-1: logsumexp = tau log(n - 1 + e^(s/tau))", lse, want, 8 * U32 * fmaxl(want, tau));
    status_ok("softargmax", smk_softargmax_f32(x, 1, n, n, tau, &arg));
    want = (m1 * (m1 - 1) / 2 + m1 * es) / (m1 + es);
    check("spike at n-1: softargmax closed form", arg, want, 8 * U32 * (R)n);
    printf("part 1 took %.1f s\n", now() - t0);
    free(x);
}

/* Maps `rows` consecutive copies of one memfd of `row_bytes` into one address range, so a
 * rows × cols matrix (ld = cols) is addressable while only row_bytes are resident. */
static void *aliased_rows(int fd, size_t rows, size_t row_bytes) {
    uint8_t *base = mmap(NULL, rows * row_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    for (size_t r = 0; r < rows; ++r)
        if (mmap(base + r * row_bytes, row_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
            return NULL;
    return base;
}

/* Part 2 for one element type: T rows of `cols` elements, all aliasing one constant row. */
#define TOTAL_PAST_2_32(T, SUF, U, ROWS, LOG2_COLS)                                                    \
    do {                                                                                               \
        const size_t rows = ROWS, cols = (size_t)1 << LOG2_COLS, row_bytes = cols * sizeof(T);         \
        printf("part 2 (" #SUF "): %zu rows x 2^%d, %zu elements in total (2^32 = %zu), 1 GiB resident\n", \
               rows, LOG2_COLS, rows * cols, (size_t)1 << 32);                                         \
        int fd = memfd_create("smk-huge", 0);                                                          \
        T *x = fd >= 0 && ftruncate(fd, (off_t)row_bytes) == 0 ? aliased_rows(fd, rows, row_bytes) : NULL; \
        if (!x) {                                                                                      \
            printf("part 2 (" #SUF ") SKIPPED: cannot map the aliased rows\n");                        \
            break;                                                                                     \
        }                                                                                              \
        const T c = -1.25, tau = 0.5;                                                                  \
        for (size_t i = 0; i < cols; ++i) x[i] = c; /* row 0, and so every row */                      \
        T *out = malloc(rows * sizeof(T));                                                             \
        double t0 = now();                                                                             \
        status_ok("logsumexp", smk_logsumexp_##SUF(x, rows, cols, cols, tau, out));                    \
        const R L = c + tau * logl((R)cols);                                                           \
        R worst = 0;                                                                                   \
        for (size_t r = 0; r < rows; ++r) worst = fmaxl(worst, fabsl(out[r] - L));                     \
        check("every row: logsumexp = c + tau log cols (worst row)", L + worst, L, 8 * U * fmaxl(fabsl(L), tau)); \
        status_ok("softargmax", smk_softargmax_##SUF(x, rows, cols, cols, tau, out));                  \
        worst = 0;                                                                                     \
        for (size_t r = 0; r < rows; ++r) worst = fmaxl(worst, fabsl(out[r] - ((R)cols - 1) / 2));     \
        check("every row: softargmax = (cols-1)/2 (worst row)", ((R)cols - 1) / 2 + worst, ((R)cols - 1) / 2, \
              8 * U * (R)cols);                                                                        \
        printf("part 2 (" #SUF ") took %.1f s\n", now() - t0);                                         \
        free(out);                                                                                     \
        munmap(x, rows * row_bytes);                                                                   \
        close(fd);                                                                                     \
    } while (0)

int main(void) {
    printf("smoothkit huge sizes, ISA %s\n", smk_isa_name());
    one_long_row();
    if (mem_available() < ((size_t)2 << 30)) {
        printf("part 2 SKIPPED: needs 2 GiB free\n");
    } else {
        TOTAL_PAST_2_32(float, f32, U32, 17, 28);
        TOTAL_PAST_2_32(double, f64, U64, 33, 27);
    }
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
