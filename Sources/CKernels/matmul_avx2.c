/* AVX2 + FMA kernels (Haswell / Zen 2 and later), chosen at run time by dispatch.c. */
#include <immintrin.h>
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"
#include "hsum_avx2.h"
#include "vexp.h"

#define TGT __attribute__((target("avx2,fma,f16c")))
#define AI __attribute__((always_inline)) inline
#define VEC __m256
#define VPB 4
#define RT_MV 4
#define CT_MAX 4
#define VZERO() _mm256_setzero_ps()
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VLOADX(p) _mm256_loadu_ps(p)
#define VREDUCE(v) ck_hsum256(v)

TGT static AI void dec_f32(const uint8_t *p, __m256 w[4]) {
    for (int i = 0; i < 4; i++) w[i] = _mm256_loadu_ps((const float *)p + 8 * i);
}

TGT static AI void dec_f16(const uint8_t *p, __m256 w[4]) {
    for (int i = 0; i < 4; i++) w[i] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 16 * i)));
}

TGT static AI __m256 bytes8_i8(const uint8_t *p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)p)));
}

/* fp16 at p broadcast to 8 lanes: one broadcast load and one conversion. */
TGT static AI __m256 half_bcast(const uint8_t *p) {
    return _mm256_cvtph_ps(_mm_set1_epi16((short)ck_load_u16(p)));
}

TGT static AI void dec_q8_0(const uint8_t *p, __m256 w[4]) {
    const __m256 d = half_bcast(p);
    for (int i = 0; i < 4; i++) w[i] = _mm256_mul_ps(bytes8_i8(p + 2 + 8 * i), d);
}

/* Nibbles as floats in ggml order: low nibbles of bytes 0..15 are elements 0..15, high nibbles
 * elements 16..31. Each 8-byte half is widened straight from memory to 8 dwords. */
TGT static AI void nibbles(const uint8_t *qs, __m256 w[4]) {
    const __m256i m4 = _mm256_set1_epi32(15);
    const __m256i b0 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)qs));
    const __m256i b1 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(qs + 8)));
    w[0] = _mm256_cvtepi32_ps(_mm256_and_si256(b0, m4));
    w[1] = _mm256_cvtepi32_ps(_mm256_and_si256(b1, m4));
    w[2] = _mm256_cvtepi32_ps(_mm256_srli_epi32(b0, 4));
    w[3] = _mm256_cvtepi32_ps(_mm256_srli_epi32(b1, 4));
}

TGT static AI void dec_q4_0(const uint8_t *p, __m256 w[4]) {
    const __m256 d = half_bcast(p);
    const __m256 eight = _mm256_set1_ps(8.0f);
    nibbles(p + 2, w);
    for (int i = 0; i < 4; i++) w[i] = _mm256_mul_ps(_mm256_sub_ps(w[i], eight), d);
}

TGT static AI void dec_q4_1(const uint8_t *p, __m256 w[4]) {
    const __m256 d = half_bcast(p);
    const __m256 m = half_bcast(p + 2);
    nibbles(p + 4, w);
    for (int i = 0; i < 4; i++) w[i] = _mm256_fmadd_ps(w[i], d, m);
}

#include "tile.h"

KERNEL_SET(f32, dec_f32, 128)
KERNEL_SET(f16, dec_f16, 64)
KERNEL_SET(q8_0, dec_q8_0, 34)
KERNEL_SET(q4_0, dec_q4_0, 18)
KERNEL_SET(q4_1, dec_q4_1, 20)

MATMUL_DRIVER(ck_matmul_avx2)

TGT float ck_dot_f32_avx2(const float *a, const float *b, int n) {
    __m256 acc = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= n; i += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc);
    float s = ck_hsum256(acc);
    for (; i < n; i++) s = __builtin_fmaf(a[i], b[i], s);
    return s;
}

/* Needs hd % 8 == 0 (the dispatcher checks). Each score is an 8-lane fma chain over the head
 * dimension then one reduction; each output lane an fma chain over the keys in order. Four keys
 * (scores) and up to eight output vectors run side by side only to hide fma latency. */
TGT static AI float dot_hd(const float *q, const float *k, int hd) {
    __m256 acc = _mm256_setzero_ps();
    for (int i = 0; i < hd; i += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(k + i), acc);
    return ck_hsum256(acc);
}

TGT void ck_f32_to_f16_row_avx2(const float *x, uint16_t *out, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) out[i] = _cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT);
}
