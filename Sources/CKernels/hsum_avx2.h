/* The one horizontal sum of 8 floats the AVX2 kernels share: halves added, then pairs, then the
 * last two, a fixed order that the kernels' bit-for-bit results depend on. */
#ifndef CKERNELS_HSUM_AVX2_H
#define CKERNELS_HSUM_AVX2_H
#include <immintrin.h>

__attribute__((target("avx2,fma"), always_inline)) static inline float ck_hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
#endif
