/* Row kernels for AVX2 + FMA. */
#if defined(__x86_64__) || defined(__i386__)
#include "simd/avx2.h"
#include "kernels/instantiate.h"
#endif
