/* harness.h — what the standalone kernel experiments of this folder share: a seeded random
 * stream and the clock they time with. Define HARNESS_SEED before including it. */
#include <stdint.h>
#include <time.h>

#ifndef HARNESS_SEED
#error "define HARNESS_SEED (the random stream's start) before including harness.h"
#endif

/* Uniform in [0, 1): a 64-bit LCG (Knuth's MMIX constants), its top 53 bits. */
static uint64_t rng = HARNESS_SEED;
static double uniform(void) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng >> 11) * 0x1p-53;
}

/* Seconds of this thread's CPU time: the machine is shared, so CPU time, not wall. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}
