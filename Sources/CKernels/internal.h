/* Per-instruction-set entry points behind the dispatcher in dispatch.c. */
#ifndef CKERNELS_INTERNAL_H
#define CKERNELS_INTERNAL_H
#include <math.h>
#include <stddef.h>

/* Return 0 when the shape needs the scalar path (row length not a multiple of 32). */
int ck_matmul_avx512(int dtype, const void *w, size_t row_bytes, int k, const float *x, size_t ldx,
                     int m, float *y, size_t ldy, int r0, int r1, float *scratch);
int ck_matmul_avx2(int dtype, const void *w, size_t row_bytes, int k, const float *x, size_t ldx,
                   int m, float *y, size_t ldy, int r0, int r1, float *scratch);
void ck_matmul_scalar(int dtype, const void *w, size_t row_bytes, int k, const float *x, size_t ldx,
                      int m, float *y, size_t ldy, int r0, int r1, float *scratch);

float ck_dot_f32_avx512(const float *a, const float *b, int n);
float ck_dot_f32_avx2(const float *a, const float *b, int n);
float ck_dot_f32_scalar(const float *a, const float *b, int n);

void ck_attention_avx512(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                         int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                         float *out, float *scores);
void ck_attention_avx2(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                       int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                       float *out, float *scores);
void ck_attention_scalar(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                         int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                         float *out, float *scores);

void ck_attention_f16_avx2(const float *q, const uint16_t *k, const uint16_t *v, size_t kv_stride, int n_keys,
                           int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                           float *out, float *scores);
void ck_attention_f16_scalar(const float *q, const uint16_t *k, const uint16_t *v, size_t kv_stride, int n_keys,
                             int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                             float *out, float *scores);
void ck_attention_rows_avx2(const float *q, size_t q_stride, int rows, int first_keys, const void *k, const void *v,
                            int kv_f16, size_t kv_stride, int n_heads, int n_kv_heads, int hd, float scale, int g,
                            float *out, size_t out_stride, float *scores);
void ck_f32_to_f16_row_avx2(const float *x, uint16_t *out, int n);
void ck_f32_to_f16_row_scalar(const float *x, uint16_t *out, int n);

/* Quantized-activation kernels (ck_matmul_q8_isa); 0 when the type has no int8 kernel. */
void ck_matmul_q8_avx2(int dtype, const void *packed, int k, int rows, const void *xq, int m,
                       float *y, size_t ldy, int g0, int g1);
void ck_matmul_q8_scalar(int dtype, const void *packed, int k, int rows, const void *xq, int m,
                         float *y, size_t ldy, int g0, int g1);
void ck_quantize_rows_q8_avx2(const float *x, size_t ldx, int k, int m, void *out);
void ck_quantize_rows_q8_scalar(const float *x, size_t ldx, int k, int m, void *out);
void ck_silu_mul_avx2(float *gate, const float *up, int n);
void ck_silu_mul_scalar(float *gate, const float *up, int n);
void ck_round_to_f16_avx2(float *x, int n);
void ck_round_to_f16_scalar(float *x, int n);
#endif
