/* dispatch.c — CPU detection, the ISA table and forcing a path. The only place that
 * decides which kernels run. */
#include <stdatomic.h>
#include <stdbool.h>
#include "internal.h"
#include "testing.h"

typedef struct {
    smk_isa isa;
    const char *name;
    const smk_kernels *table;
} isa_entry;

/* Best first. */
static const isa_entry isa_table[] = {
#if defined(__x86_64__)
    {SMK_ISA_AVX512, "avx512", &smk_kernels_avx512},
#endif
#if defined(__x86_64__) || defined(__i386__)
    {SMK_ISA_AVX2, "avx2", &smk_kernels_avx2},
#endif
#if defined(__aarch64__)
    {SMK_ISA_NEON, "neon", &smk_kernels_neon},
#endif
    {SMK_ISA_PORTABLE, "portable", &smk_kernels_portable},
};
enum { ISA_COUNT = sizeof isa_table / sizeof isa_table[0] };

static int cpu_has(smk_isa isa) {
    switch (isa) {
    case SMK_ISA_PORTABLE: return 1;
#if defined(__x86_64__) || defined(__i386__)
    /* __builtin_cpu_supports also checks that the OS saves the wider registers. */
    /* F16C (every AVX2 CPU has it) serves the kernels' float16 loads and stores. */
    case SMK_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#endif
#if defined(__x86_64__)
    case SMK_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#endif
#if defined(__aarch64__)
    case SMK_ISA_NEON: return 1;
#endif
    default: return 0;
    }
}

static const isa_entry *entry_for(smk_isa isa) {
    for (int i = 0; i < ISA_COUNT; ++i)
        if (isa_table[i].isa == isa) return &isa_table[i];
    return NULL;
}

static const isa_entry *best_entry(void) {
    for (int i = 0; i < ISA_COUNT; ++i)
        if (cpu_has(isa_table[i].isa)) return &isa_table[i];
    return &isa_table[ISA_COUNT - 1];
}

/* NULL until first use; then the entry in force. Readers and writers are lock-free. */
static _Atomic(const isa_entry *) active;

static const isa_entry *active_entry(void) {
    const isa_entry *e = atomic_load_explicit(&active, memory_order_acquire);
    if (!e) {
        e = best_entry();
        const isa_entry *expected = NULL;
        if (!atomic_compare_exchange_strong(&active, &expected, e)) e = expected;
    }
    return e;
}

/* Test-only (testing.h): the entry this thread's calls use instead of `active`; NULL: none. */
static _Thread_local const isa_entry *thread_entry;
/* Set for good once any thread has an entry of its own: until then (always, outside the
 * tests) the dispatch point skips thread_entry, whose access is a call in a shared library
 * (about 6% of a one-row call). A thread reads its own store, so relaxed order suffices. */
static atomic_bool thread_entries_used;

const smk_kernels *smk_active_kernels(void) {
    if (__builtin_expect(atomic_load_explicit(&thread_entries_used, memory_order_relaxed), 0) && thread_entry)
        return thread_entry->table;
    return active_entry()->table;
}

int smk_test_set_thread_isa(smk_isa isa) {
    if (isa == SMK_ISA_AUTO) {
        thread_entry = NULL;
        return 0;
    }
    const isa_entry *e = entry_for(isa);
    if (!e || !cpu_has(isa)) return -1;
    atomic_store_explicit(&thread_entries_used, true, memory_order_relaxed);
    thread_entry = e;
    return 0;
}

smk_isa smk_test_thread_isa(void) { return thread_entry ? thread_entry->isa : SMK_ISA_AUTO; }

const smk_kernels *smk_kernels_for(smk_isa isa) {
    const isa_entry *e = isa == SMK_ISA_AUTO ? best_entry() : entry_for(isa);
    return e && cpu_has(e->isa) ? e->table : NULL;
}

const char *smk_isa_name(void) { return active_entry()->name; }

smk_isa smk_active_isa(void) { return active_entry()->isa; }

int smk_isa_supported(smk_isa isa) {
    if (isa == SMK_ISA_AUTO) return 1;
    return entry_for(isa) != NULL && cpu_has(isa);
}

smk_status smk_force_isa(smk_isa isa) {
    const isa_entry *e = isa == SMK_ISA_AUTO ? best_entry() : entry_for(isa);
    if (!e || !cpu_has(e->isa)) return SMK_ERR_DOMAIN;
    atomic_store_explicit(&active, e, memory_order_release);
    return SMK_OK;
}
