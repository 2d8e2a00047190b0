/* Clears the names of kernels/types_<SUF>.h before the next instantiation. */
#undef T
#undef W
#undef IT
#undef SUF
#undef LANES
#undef T_MAX
#undef W_LOG
#undef W_FREXP
#undef W_LDEXP
#undef MANT_BITS
#undef EXP_BIAS
#undef ROUND_MAGIC
#undef EXP2_CUTOFF
#undef PRESCALE_MAX_EXP
#undef EXP2_DEGREE
#undef EXP2_COEFFS
#undef TINY_VECTOR_LOG
