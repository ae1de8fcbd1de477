#ifndef SPM_SHIM_H
#define SPM_SHIM_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* A C view of libsentencepiece's processor, so Swift needs no C++ interop. */
typedef struct spm_processor spm_processor;

/* NULL on failure; *err (if non-NULL) receives a malloc'd message, free with spm_free_string. */
spm_processor *spm_load(const char *model_path, char **err);
void spm_free(spm_processor *p);
int32_t spm_vocab_size(const spm_processor *p);
int32_t spm_piece_to_id(const spm_processor *p, const char *piece);
/* Copies piece `id` into buf (NUL-terminated, truncated to cap-1); returns its full length, -1 if out of range. */
int32_t spm_id_to_piece(const spm_processor *p, int32_t id, char *buf, int32_t cap);
/* 0 normal (or user-defined), 1 unknown, 2 control, 4 unused, 5 byte; -1 if out of range. */
int32_t spm_piece_kind(const spm_processor *p, int32_t id);
float spm_score(const spm_processor *p, int32_t id);
int32_t spm_bos_id(const spm_processor *p);
int32_t spm_eos_id(const spm_processor *p);
int32_t spm_unk_id(const spm_processor *p);
int32_t spm_pad_id(const spm_processor *p);
/* Encodes text[0..len); writes min(n, cap) ids and returns n, or -1 on error. */
int32_t spm_encode(const spm_processor *p, const char *text, size_t len, int32_t *ids, int32_t cap);
/* Decodes ids into a malloc'd UTF-8 string (length in *out_len); NULL on error. */
char *spm_decode(const spm_processor *p, const int32_t *ids, int32_t n, size_t *out_len);
void spm_free_string(char *s);

#ifdef __cplusplus
}
#endif
#endif
