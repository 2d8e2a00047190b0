/* Row kernels for the portable path. */
#include "simd/portable.h"
#include "kernels/instantiate.h"
