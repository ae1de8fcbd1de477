/* exp(x) for f32, 8 lanes (AVX2) and one lane (scalar) with the same operations in the same order,
 * so both give bit-identical results (tested). Relative error about 2 ulp.
 * Matches: Cephes expf (range reduction by ln 2 split in two parts, degree-5 polynomial);
 * inputs below -87.3 give 0 and above 88.7 give +inf. */
#ifndef CKERNELS_VEXP_H
#define CKERNELS_VEXP_H
#include <math.h>
#include <stdint.h>
#include <string.h>

#define CK_EXP_LOG2E 1.44269504088896341f
#define CK_EXP_LN2_HI 0.693359375f
#define CK_EXP_LN2_LO -2.12194440e-4f
#define CK_EXP_C0 1.9875691500e-4f
#define CK_EXP_C1 1.3981999507e-3f
#define CK_EXP_C2 8.3333452907e-3f
#define CK_EXP_C3 4.1665795894e-2f
#define CK_EXP_C4 1.6666665459e-1f
#define CK_EXP_C5 5.0000001201e-1f
#define CK_EXP_MIN -87.3365478515625f
#define CK_EXP_MAX 88.72283935546875f

static inline float ck_exp_scalar(float x) {
    if (x < CK_EXP_MIN) return 0.0f;
    if (x > CK_EXP_MAX) return INFINITY;
    if (x != x) return x;
    const float n = __builtin_nearbyintf(x * CK_EXP_LOG2E);
    float r = __builtin_fmaf(n, -CK_EXP_LN2_HI, x);
    r = __builtin_fmaf(n, -CK_EXP_LN2_LO, r);
    float p = __builtin_fmaf(CK_EXP_C0, r, CK_EXP_C1);
    p = __builtin_fmaf(p, r, CK_EXP_C2);
    p = __builtin_fmaf(p, r, CK_EXP_C3);
    p = __builtin_fmaf(p, r, CK_EXP_C4);
    p = __builtin_fmaf(p, r, CK_EXP_C5);
    const float r2 = r * r;
    const float e = __builtin_fmaf(p, r2, r) + 1.0f;
    /* 2^n in two factors so n = 128 (x near the top of the range) does not overflow the exponent. */
    const int ni = (int)n;
    const int half = ni / 2;
    uint32_t b1 = (uint32_t)(half + 127) << 23, b2 = (uint32_t)(ni - half + 127) << 23;
    float s1, s2;
    memcpy(&s1, &b1, 4);
    memcpy(&s2, &b2, 4);
    return e * s1 * s2;
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx2,fma"))) static inline __m256 ck_exp_avx2(__m256 x) {
    const __m256 lo = _mm256_set1_ps(CK_EXP_MIN), hi = _mm256_set1_ps(CK_EXP_MAX);
    const __m256 under = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
    const __m256 over = _mm256_cmp_ps(x, hi, _CMP_GT_OQ);
    const __m256 xc = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(xc, _mm256_set1_ps(CK_EXP_LOG2E)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fmadd_ps(n, _mm256_set1_ps(-CK_EXP_LN2_HI), xc);
    r = _mm256_fmadd_ps(n, _mm256_set1_ps(-CK_EXP_LN2_LO), r);
    __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(CK_EXP_C0), r, _mm256_set1_ps(CK_EXP_C1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(CK_EXP_C2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(CK_EXP_C3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(CK_EXP_C4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(CK_EXP_C5));
    const __m256 r2 = _mm256_mul_ps(r, r);
    const __m256 e = _mm256_add_ps(_mm256_fmadd_ps(p, r2, r), _mm256_set1_ps(1.0f));
    const __m256i ni = _mm256_cvtps_epi32(n);
    const __m256i half = _mm256_srai_epi32(_mm256_add_epi32(ni, _mm256_srli_epi32(ni, 31)), 1);
    const __m256i bias = _mm256_set1_epi32(127);
    const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(ni, half), bias), 23));
    __m256 y = _mm256_mul_ps(_mm256_mul_ps(e, s1), s2);
    y = _mm256_andnot_ps(under, y);
    y = _mm256_blendv_ps(y, _mm256_set1_ps(INFINITY), over);
    /* NaN inputs stay NaN (they fail both comparisons and the clamp would hide them). */
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}
#endif
#endif
