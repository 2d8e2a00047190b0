/* Row kernels for AVX-512F. */
#if defined(__x86_64__)
#include "simd/avx512.h"
#include "kernels/instantiate.h"
#endif
