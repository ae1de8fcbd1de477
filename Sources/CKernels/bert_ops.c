/* Element-wise steps of the BERT encoder in AVX2 (scalar fallback): exact GELU and the row
 * softmax of attention scores. Swift without -target-cpu emits SSE2 and does not vectorise
 * float reductions, so these loops took a tenth of MiniLM's time.
 *
 * Matches: erf as Eigen's `generic_fast_erf_float` (rational function on [-4, 4]) and exp as
 * Cephes `expf` (same reduction constants and coefficients), as `BertMath.erf` / `BertMath.exp`. */
#include <math.h>
#include "ckernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "hsum_avx2.h"
#endif

static const float ERF_P[7] = {-2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f,
                               -5.69250639462346e-05f, -7.34990630326855e-04f, -2.95459980854025e-03f,
                               -1.60960333262415e-02f};
static const float ERF_Q[5] = {-1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f,
                               -7.37332916720468e-03f, -1.42647390514189e-02f};
static const float EXP_C[6] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
                               4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

static float gelu_scalar(float v) {
    float x = v * 0.70710678118654752f;
    x = x < -4.0f ? -4.0f : (x > 4.0f ? 4.0f : x);
    float x2 = x * x, p = ERF_P[0], q = ERF_Q[0];
    for (int i = 1; i < 7; i++) p = p * x2 + ERF_P[i];
    for (int i = 1; i < 5; i++) q = q * x2 + ERF_Q[i];
    return 0.5f * v * (1.0f + x * p / q);
}

static float exp_scalar(float v) {
    float x = v > -87.3f ? v : -87.3f;
    x = x < 88.7f ? x : 88.7f;
    float n = nearbyintf(x * 1.44269504088896341f);
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = EXP_C[0];
    for (int i = 1; i < 6; i++) p = p * r + EXP_C[i];
    float e = p * r * r + r + 1.0f;
    return ldexpf(e, (int)n);
}

static void softmax_row_scalar(float *row, int cols) {
    float m = row[0];
    for (int c = 1; c < cols; c++) m = row[c] > m ? row[c] : m;
    float sum = 0.0f;
    for (int c = 0; c < cols; c++) {
        row[c] = exp_scalar(row[c] - m);
        sum += row[c];
    }
    float inv = 1.0f / sum;
    for (int c = 0; c < cols; c++) row[c] *= inv;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static inline __m256 gelu8(__m256 v) {
    __m256 x = _mm256_mul_ps(v, _mm256_set1_ps(0.70710678118654752f));
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-4.0f)), _mm256_set1_ps(4.0f));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(ERF_P[0]), q = _mm256_set1_ps(ERF_Q[0]);
    for (int i = 1; i < 7; i++) p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P[i]));
    for (int i = 1; i < 5; i++) q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_Q[i]));
    __m256 erf = _mm256_div_ps(_mm256_mul_ps(x, p), q);
    __m256 half = _mm256_mul_ps(_mm256_set1_ps(0.5f), v);
    return _mm256_fmadd_ps(half, erf, half);
}

__attribute__((target("avx2,fma"))) static inline __m256 exp8(__m256 v) {
    __m256 x = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.7f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fmadd_ps(n, _mm256_set1_ps(2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(EXP_C[0]);
    for (int i = 1; i < 6; i++) p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_C[i]));
    __m256 e = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
    __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(e, _mm256_castsi256_ps(scale));
}

__attribute__((target("avx2,fma"))) static float hmax8(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) static void gelu_avx2(float *x, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, gelu8(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) x[i] = gelu_scalar(x[i]);
}

/* The tail (cols % 8 elements) goes through the same vector code on a padded copy, so every
 * element gets the vector exp. */
__attribute__((target("avx2,fma"))) static void softmax_row_avx2(float *row, int cols) {
    int body = cols / 8 * 8, tail = cols - body;
    float pad[8];
    __m256 mv = _mm256_set1_ps(-INFINITY);
    for (int c = 0; c < body; c += 8) mv = _mm256_max_ps(mv, _mm256_loadu_ps(row + c));
    float m = hmax8(mv);
    for (int c = body; c < cols; c++) m = row[c] > m ? row[c] : m;
    __m256 mb = _mm256_set1_ps(m), sv = _mm256_setzero_ps();
    for (int c = 0; c < body; c += 8) {
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + c), mb));
        _mm256_storeu_ps(row + c, e);
        sv = _mm256_add_ps(sv, e);
    }
    float sum = ck_hsum256(sv);
    if (tail) {
        for (int j = 0; j < 8; j++) pad[j] = j < tail ? row[body + j] : m;
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(pad), mb));
        _mm256_storeu_ps(pad, e);
        for (int j = 0; j < tail; j++) {
            row[body + j] = pad[j];
            sum += pad[j];
        }
    }
    __m256 inv = _mm256_set1_ps(1.0f / sum);
    for (int c = 0; c < body; c += 8) _mm256_storeu_ps(row + c, _mm256_mul_ps(_mm256_loadu_ps(row + c), inv));
    for (int c = body; c < cols; c++) row[c] *= 1.0f / sum;
}

static int ops_avx2 = -1;

static int use_avx2(void) {
    if (ops_avx2 < 0) {
        __builtin_cpu_init();
        ops_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return ops_avx2;
}
#endif

void ck_bert_gelu(float *x, size_t n) {
#if defined(__x86_64__)
    if (use_avx2()) {
        gelu_avx2(x, n);
        return;
    }
#endif
    for (size_t i = 0; i < n; i++) x[i] = gelu_scalar(x[i]);
}

void ck_bert_softmax_rows(float *scores, int rows, int cols) {
    if (cols <= 0) return;
    for (int r = 0; r < rows; r++) {
        float *row = scores + (size_t)r * cols;
#if defined(__x86_64__)
        if (use_avx2()) {
            softmax_row_avx2(row, cols);
            continue;
        }
#endif
        softmax_row_scalar(row, cols);
    }
}
