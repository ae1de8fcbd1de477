/* Int8-activation kernels, AVX2: products of packed Q4_0 / Q4_1 / Q8_0 weights (ck_pack_q8) with
 * quantized activation rows, the activation quantizer, SiLU and f16 rounding.
 *
 * A packed group-block holds 8 rows' quants interleaved 4 bytes per row, so one 32-byte load
 * gives every row's next 4 quants in its own 32-bit lane; the activation's matching 4 bytes are
 * broadcast to all lanes, and vpmaddubsw + vpmaddwd leave each row's exact integer block sum in its
 * lane. The 8 rows' sums are then scaled and accumulated as 8 independent fma chains, lane i doing
 * exactly what ck_matmul_q8_scalar does for row i: results are bit-identical to it, for one
 * activation row (decode) or many (batched decode, prefill).
 * Matches: ggml's ggml_vec_dot_q4_1_q8_1 / q4_0_q8_0 / q8_0_q8_0 in what is computed; the packing
 * follows the idea of ggml-cpu's repacked (interleaved) Q4_0 layouts, with our own layout. */
#include <immintrin.h>
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"
#include "vexp.h"

#define TGT __attribute__((target("avx2,fma,f16c")))
#define AI __attribute__((always_inline)) inline

TGT static AI __m256i bcast4(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

TGT static AI __m256 scales8(const uint8_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }

/* Stores the 8 rows of a group for one activation row (fewer for the last, padded group). */
TGT static AI void store_rows(float *y, __m256 v, int n) {
    if (n == 8) {
        _mm256_storeu_ps(y, v);
    } else {
        float tmp[8];
        _mm256_storeu_ps(tmp, v);
        for (int i = 0; i < n; i++) y[i] = tmp[i];
    }
}

/* One group (8 rows) x CT activation rows, Q4_0 or Q4_1 (MIN). Per block: 4 loads of 32 quant
 * bytes, low and high nibbles against broadcast activation bytes, 16-bit partial sums (at most
 * 8 * 2 * 15 * 127 = 30480, no overflow), one vpmaddwd to 32 bits. */
TGT static AI void group_q4(const uint8_t *g, int nb, int MIN, const ck_block_act *x, size_t ldx, int CT,
                            float *y, size_t ldy, int n) {
    const size_t gbb = MIN ? 160 : 144, header = MIN ? 32 : 16;
    const __m256i low = _mm256_set1_epi8(15), ones = _mm256_set1_epi16(1);
    __m256 acc[4];
    for (int j = 0; j < CT; j++) acc[j] = _mm256_setzero_ps();
    for (int b = 0; b < nb; b++) {
        const uint8_t *gb = g + (size_t)b * gbb;
        __m256i s16[4];
        for (int t = 0; t < 4; t++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(gb + header + 32 * t));
            const __m256i lo = _mm256_and_si256(v, low), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
            for (int j = 0; j < CT; j++) {
                const int8_t *xq = x[(size_t)j * ldx + b].qs;
                const __m256i p = _mm256_add_epi16(_mm256_maddubs_epi16(lo, bcast4(xq + 4 * t)),
                                                   _mm256_maddubs_epi16(hi, bcast4(xq + 16 + 4 * t)));
                s16[j] = t == 0 ? p : _mm256_add_epi16(s16[j], p);
            }
        }
        const __m256 dw = scales8(gb);
        for (int j = 0; j < CT; j++) {
            const ck_block_act *xb = x + (size_t)j * ldx + b;
            __m256i sum = _mm256_madd_epi16(s16[j], ones);
            if (!MIN) sum = _mm256_sub_epi32(sum, _mm256_set1_epi32(8 * xb->sum));
            acc[j] = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(xb->d)), _mm256_cvtepi32_ps(sum), acc[j]);
        }
    }
    for (int j = 0; j < CT; j++) {
        __m256 mins = _mm256_setzero_ps();
        for (int b = 0; MIN && b < nb; b++)
            mins = _mm256_fmadd_ps(scales8(g + (size_t)b * gbb + 16), _mm256_set1_ps(x[(size_t)j * ldx + b].s), mins);
        store_rows(y + (size_t)j * ldy, MIN ? _mm256_add_ps(acc[j], mins) : acc[j], n);
    }
}

/* One group x CT activation rows, Q8_0: |w| against the activation bytes given w's sign
 * (vpsignb), so vpmaddubsw sees an unsigned operand; each product pair (at most 2 * 128 * 127)
 * goes straight to 32 bits. */
TGT static AI void group_q8(const uint8_t *g, int nb, const ck_block_act *x, size_t ldx, int CT,
                            float *y, size_t ldy, int n) {
    const size_t gbb = 272;
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[4];
    for (int j = 0; j < CT; j++) acc[j] = _mm256_setzero_ps();
    for (int b = 0; b < nb; b++) {
        const uint8_t *gb = g + (size_t)b * gbb;
        __m256i s32[4];
        for (int j = 0; j < CT; j++) s32[j] = _mm256_setzero_si256();
        for (int t = 0; t < 8; t++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(gb + 16 + 32 * t));
            const __m256i a = _mm256_sign_epi8(v, v);
            for (int j = 0; j < CT; j++) {
                const __m256i xs = _mm256_sign_epi8(bcast4(x[(size_t)j * ldx + b].qs + 4 * t), v);
                s32[j] = _mm256_add_epi32(s32[j], _mm256_madd_epi16(_mm256_maddubs_epi16(a, xs), ones));
            }
        }
        const __m256 dw = scales8(gb);
        for (int j = 0; j < CT; j++) {
            const ck_block_act *xb = x + (size_t)j * ldx + b;
            acc[j] = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(xb->d)), _mm256_cvtepi32_ps(s32[j]), acc[j]);
        }
    }
    for (int j = 0; j < CT; j++) store_rows(y + (size_t)j * ldy, acc[j], n);
}

#define GROUP_VARIANTS(CT)                                                                           \
    TGT static void q4_1_##CT(const uint8_t *g, int nb, const ck_block_act *x, size_t ldx, float *y, size_t ldy, int n) { \
        group_q4(g, nb, 1, x, ldx, CT, y, ldy, n);                                                   \
    }                                                                                                \
    TGT static void q4_0_##CT(const uint8_t *g, int nb, const ck_block_act *x, size_t ldx, float *y, size_t ldy, int n) { \
        group_q4(g, nb, 0, x, ldx, CT, y, ldy, n);                                                   \
    }                                                                                                \
    TGT static void q8_0_##CT(const uint8_t *g, int nb, const ck_block_act *x, size_t ldx, float *y, size_t ldy, int n) { \
        group_q8(g, nb, x, ldx, CT, y, ldy, n);                                                      \
    }
GROUP_VARIANTS(1)
GROUP_VARIANTS(2)
GROUP_VARIANTS(3)
GROUP_VARIANTS(4)

typedef void (*group_fn)(const uint8_t *, int, const ck_block_act *, size_t, float *, size_t, int);

/* Activation rows in tiles of 4 (then 3, 2, 1) against chunks of groups of about 64 KB, so a chunk
 * stays in L2 while every activation tile passes over it and a tile stays in L1 over the chunk. */
TGT void ck_matmul_q8_avx2(int dtype, const void *packed, int k, int rows, const void *xq, int m,
                           float *y, size_t ldy, int g0, int g1) {
    const size_t gbb = ck_packed_group_block_bytes(dtype);
    const int nb = k / QK;
    const ck_block_act *x = xq;
    group_fn fns[4];
    switch (dtype) {
    case CK_Q4_1: fns[0] = q4_1_1; fns[1] = q4_1_2; fns[2] = q4_1_3; fns[3] = q4_1_4; break;
    case CK_Q4_0: fns[0] = q4_0_1; fns[1] = q4_0_2; fns[2] = q4_0_3; fns[3] = q4_0_4; break;
    default: fns[0] = q8_0_1; fns[1] = q8_0_2; fns[2] = q8_0_3; fns[3] = q8_0_4; break;
    }
    const size_t group_bytes = (size_t)nb * gbb;
    const int chunk = m == 1 ? g1 - g0 : (int)((64u << 10) / group_bytes) > 1 ? (int)((64u << 10) / group_bytes) : 1;
    for (int c0 = g0; c0 < g1; c0 += chunk) {
        const int c1 = g1 - c0 > chunk ? c0 + chunk : g1;
        for (int j = 0; j < m;) {
            const int ct = m - j >= 4 ? 4 : m - j;
            for (int g = c0; g < c1; g++) {
                const int n = rows - g * 8 >= 8 ? 8 : rows - g * 8;
                fns[ct - 1]((const uint8_t *)packed + (size_t)g * group_bytes, nb, x + (size_t)j * nb, (size_t)nb,
                            y + (size_t)j * ldy + (size_t)g * 8, ldy, n);
            }
            j += ct;
        }
    }
}

/* Same values as ck_quantize_rows_q8_scalar: max |x| is exact, x * (127 / amax) is one rounded
 * product either way, and vroundps with nearest-even equals nearbyintf. */
TGT void ck_quantize_rows_q8_avx2(const float *x, size_t ldx, int k, int m, void *out) {
    ck_block_act *o = out;
    const int nb = k / QK;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int j = 0; j < m; j++) {
        const float *row = x + (size_t)j * ldx;
        for (int b = 0; b < nb; b++, o++) {
            __m256 v[4];
            __m256 mx = _mm256_setzero_ps();
            for (int i = 0; i < 4; i++) {
                v[i] = _mm256_loadu_ps(row + b * QK + 8 * i);
                mx = _mm256_max_ps(mx, _mm256_andnot_ps(sign, v[i]));
            }
            __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(mx, 1), _mm256_castps256_ps128(mx));
            m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
            m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
            const float amax = _mm_cvtss_f32(m4);
            const float d = amax / 127.0f;
            const __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
            __m256i q[4];
            for (int i = 0; i < 4; i++)
                q[i] = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[i], id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            const __m256i sum = _mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3]));
            __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
            s4 = _mm_add_epi32(s4, _mm_unpackhi_epi64(s4, s4));
            s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 1));
            o->d = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
            o->sum = _mm_cvtsi128_si32(s4);
            o->spare = 0;
            o->s = _cvtsh_ss(_cvtss_sh(d * (float)o->sum, _MM_FROUND_TO_NEAREST_INT));
            const __m256i p16a = _mm256_packs_epi32(q[0], q[1]);
            const __m256i p16b = _mm256_packs_epi32(q[2], q[3]);
            const __m256i p8 = _mm256_packs_epi16(p16a, p16b);
            _mm256_storeu_si256((__m256i *)o->qs, _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        }
    }
}

TGT void ck_silu_mul_avx2(float *gate, const float *up, int n) {
    int i = 0;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e = ck_exp_avx2(_mm256_sub_ps(_mm256_setzero_ps(), g));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, e)), _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + ck_exp_scalar(-gate[i])) * up[i];
}

TGT void ck_round_to_f16_avx2(float *x, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(x + i, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT)));
    for (; i < n; i++) x[i] = _cvtsh_ss(_cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT));
}
