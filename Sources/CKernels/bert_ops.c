/* The BERT encoder's steps other than its dense layers, in AVX2 (scalar fallback): exact GELU,
 * attention of one head (scores, row softmax, weighted values) and add & LayerNorm. Swift
 * without -target-cpu emits SSE2 and does not vectorise float reductions, so these loops took a
 * tenth of MiniLM's time; OpenBLAS, called per (sequence, head) on 26 × 26 × 32 products, spent
 * most of its time packing and setting up.
 *
 * Matches: erf as Eigen's `generic_fast_erf_float` (rational function on [-4, 4]) and exp as
 * Cephes `expf` (same reduction constants and coefficients); `BertMath.erf` is the same erf. */
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

/* Softmax over the kept columns of a row; the others get weight 0 (transformers adds the dtype's
 * minimum to masked scores), and a row with every column masked gets uniform weights (its scores
 * are then all equal in transformers). */
static void softmax_row_kept(float *row, int cols, const _Bool *keep) {
    float m = -INFINITY;
    for (int c = 0; c < cols; c++) m = keep[c] && row[c] > m ? row[c] : m;
    if (m == -INFINITY) {
        for (int c = 0; c < cols; c++) row[c] = 1.0f / (float)cols;
        return;
    }
    float sum = 0.0f;
    for (int c = 0; c < cols; c++) {
        row[c] = keep[c] ? exp_scalar(row[c] - m) : 0.0f;
        sum += row[c];
    }
    float inv = 1.0f / sum;
    for (int c = 0; c < cols; c++) row[c] *= inv;
}

/* c[i, j] = alpha · Σ_k a[i, k]·b[k, j] (fmaf in k order) for i < m, j < n. */
static void small_gemm_scalar(int m, int n, int kdim, const float *a, size_t lda, const float *b, size_t ldb,
                              float alpha, float *c, size_t ldc) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            float acc = 0.0f;
            for (int k = 0; k < kdim; k++) acc = fmaf(a[(size_t)i * lda + k], b[(size_t)k * ldb + j], acc);
            c[(size_t)i * ldc + j] = alpha * acc;
        }
    }
}

static void layer_norm_row_scalar(float *row, const float *res, int width, const float *g, const float *b, float eps) {
    if (res)
        for (int i = 0; i < width; i++) row[i] += res[i];
    float mean = 0.0f, var = 0.0f;
    for (int i = 0; i < width; i++) mean += row[i];
    mean /= (float)width;
    for (int i = 0; i < width; i++) var += (row[i] - mean) * (row[i] - mean);
    var /= (float)width;
    float scale = 1.0f / sqrtf(var + eps);
    for (int i = 0; i < width; i++) row[i] = (row[i] - mean) * scale * g[i] + b[i];
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

/* c[i, 0..8·n8) = alpha · Σ_k a[i, k]·b[k, ·]: two rows by up to four 8-column chunks per
 * register block (eight independent fma chains), k in order. */
__attribute__((target("avx2,fma"))) static void
small_gemm_avx2(int m, int n8, int kdim, const float *a, size_t lda, const float *b, size_t ldb, float alpha,
                float *c, size_t ldc) {
    __m256 s = _mm256_set1_ps(alpha);
    for (int i = 0; i < m; i += 2) {
        const float *a0 = a + (size_t)i * lda, *a1 = i + 1 < m ? a0 + lda : a0;
        for (int q = 0; q < n8; q += 4) {
            int w = n8 - q < 4 ? n8 - q : 4;
            __m256 x0 = _mm256_setzero_ps(), x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
            const float *bk = b + (size_t)q * 8;
            for (int k = 0; k < kdim; k++, bk += ldb) {
                __m256 p0 = _mm256_broadcast_ss(a0 + k), p1 = _mm256_broadcast_ss(a1 + k), v = _mm256_loadu_ps(bk);
                x0 = _mm256_fmadd_ps(p0, v, x0), y0 = _mm256_fmadd_ps(p1, v, y0);
                if (w > 1) v = _mm256_loadu_ps(bk + 8), x1 = _mm256_fmadd_ps(p0, v, x1), y1 = _mm256_fmadd_ps(p1, v, y1);
                if (w > 2) v = _mm256_loadu_ps(bk + 16), x2 = _mm256_fmadd_ps(p0, v, x2), y2 = _mm256_fmadd_ps(p1, v, y2);
                if (w > 3) v = _mm256_loadu_ps(bk + 24), x3 = _mm256_fmadd_ps(p0, v, x3), y3 = _mm256_fmadd_ps(p1, v, y3);
            }
            __m256 xs[4] = {x0, x1, x2, x3}, ys[4] = {y0, y1, y2, y3};
            float *c0 = c + (size_t)i * ldc + (size_t)q * 8;
            for (int u = 0; u < w; u++) {
                _mm256_storeu_ps(c0 + 8 * u, _mm256_mul_ps(s, xs[u]));
                if (i + 1 < m) _mm256_storeu_ps(c0 + ldc + 8 * u, _mm256_mul_ps(s, ys[u]));
            }
        }
    }
}

__attribute__((target("avx2,fma"))) static void
layer_norm_row_avx2(float *row, const float *res, int width, const float *g, const float *b, float eps) {
    int body = width / 8 * 8;
    if (res) {
        for (int i = 0; i < body; i += 8)
            _mm256_storeu_ps(row + i, _mm256_add_ps(_mm256_loadu_ps(row + i), _mm256_loadu_ps(res + i)));
        for (int i = body; i < width; i++) row[i] += res[i];
    }
    __m256 sv = _mm256_setzero_ps();
    for (int i = 0; i < body; i += 8) sv = _mm256_add_ps(sv, _mm256_loadu_ps(row + i));
    float sum = ck_hsum256(sv);
    for (int i = body; i < width; i++) sum += row[i];
    float mean = sum / (float)width;
    __m256 mv = _mm256_set1_ps(mean), vv = _mm256_setzero_ps();
    for (int i = 0; i < body; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(row + i), mv);
        vv = _mm256_fmadd_ps(d, d, vv);
    }
    float var = ck_hsum256(vv);
    for (int i = body; i < width; i++) var += (row[i] - mean) * (row[i] - mean);
    var /= (float)width;
    float scale = 1.0f / sqrtf(var + eps);
    __m256 sc = _mm256_set1_ps(scale);
    for (int i = 0; i < body; i += 8) {
        __m256 n = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + i), mv), sc);
        _mm256_storeu_ps(row + i, _mm256_fmadd_ps(n, _mm256_loadu_ps(g + i), _mm256_loadu_ps(b + i)));
    }
    for (int i = body; i < width; i++) row[i] = (row[i] - mean) * scale * g[i] + b[i];
}

/* The dispatcher's choice (dispatch.c), so ALIGN_ISA=scalar reaches these kernels too. */
static int use_avx2(void) { return ck_isa_supported(2); }
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

static int round8(int n) { return (n + 7) / 8 * 8; }

size_t ck_bert_attention_scratch(int longest, int head_dim) {
    if (longest <= 0 || head_dim <= 0) return 0;
    return (size_t)round8(longest) * (size_t)(round8(longest) + head_dim);
}

void ck_bert_attend_head(const float *q, const float *k, const float *v, size_t ld, int len, int head_dim, float scale,
                         const _Bool *keep, float *scratch, float *out, size_t ldo) {
    if (len <= 0 || head_dim <= 0) return;
    int stride = round8(len);
    float *scores = scratch, *keys = scratch + (size_t)stride * stride;
#if defined(__x86_64__)
    if (head_dim % 8 == 0 && use_avx2()) {
        /* The head's rows are far apart (a row holds every head's query, key and value): ask for
         * all their lines at once rather than wait for each in turn. */
        for (int j = 0; j < len; j++)
            for (int c = 0; c < head_dim; c += 16) {
                _mm_prefetch((const char *)(q + (size_t)j * ld + c), _MM_HINT_T0);
                _mm_prefetch((const char *)(k + (size_t)j * ld + c), _MM_HINT_T0);
                _mm_prefetch((const char *)(v + (size_t)j * ld + c), _MM_HINT_T0);
            }
        for (int c = 0; c < head_dim; c++)
            for (int j = 0; j < stride; j++) keys[(size_t)c * stride + j] = j < len ? k[(size_t)j * ld + c] : 0.0f;
        small_gemm_avx2(len, stride / 8, head_dim, q, ld, keys, stride, scale, scores, stride);
        for (int r = 0; r < len; r++) {
            if (keep) softmax_row_kept(scores + (size_t)r * stride, len, keep);
            else softmax_row_avx2(scores + (size_t)r * stride, len);
        }
        small_gemm_avx2(len, head_dim / 8, len, scores, stride, v, ld, 1.0f, out, ldo);
        return;
    }
#endif
    for (int c = 0; c < head_dim; c++)
        for (int j = 0; j < len; j++) keys[(size_t)c * stride + j] = k[(size_t)j * ld + c];
    small_gemm_scalar(len, len, head_dim, q, ld, keys, stride, scale, scores, stride);
    for (int r = 0; r < len; r++) {
        if (keep) softmax_row_kept(scores + (size_t)r * stride, len, keep);
        else softmax_row_scalar(scores + (size_t)r * stride, len);
    }
    small_gemm_scalar(len, head_dim, len, scores, stride, v, ld, 1.0f, out, ldo);
}

void ck_bert_add_layer_norm(float *x, const float *residual, int rows, int width, const float *gamma,
                            const float *beta, float epsilon) {
    if (width <= 0) return;
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * width;
        const float *res = residual ? residual + (size_t)r * width : NULL;
#if defined(__x86_64__)
        if (use_avx2()) {
            layer_norm_row_avx2(row, res, width, gamma, beta, epsilon);
            continue;
        }
#endif
        layer_norm_row_scalar(row, res, width, gamma, beta, epsilon);
    }
}
