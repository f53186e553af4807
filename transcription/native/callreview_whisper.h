/* CallReview's thin C layer over whisper.cpp: small structs and handles only, so the C# side
 * never mirrors whisper's large, version-dependent parameter structs. */
#ifndef CALLREVIEW_WHISPER_H
#define CALLREVIEW_WHISPER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CRW_API __declspec(dllexport)
#else
#define CRW_API __attribute__((visibility("default")))
#endif

/* Bumped when any signature or struct below changes; the C# side checks it on load. */
#define CRW_ABI_VERSION 1

enum crw_status {
    CRW_OK = 0,
    CRW_ERR_ARGUMENT = 1,
    CRW_ERR_LOAD = 2,
    CRW_ERR_STATE = 3,
    CRW_ERR_TRANSCRIBE = 4,
    CRW_ERR_ABORTED = 5,
    CRW_ERR_VAD = 6,
    CRW_ERR_MEMORY = 7
};

typedef struct crw_context crw_context;
typedef struct crw_result crw_result;
typedef struct crw_vad crw_vad;
typedef struct crw_vad_result crw_vad_result;

typedef struct crw_params {
    const char *language;       /* NULL, "" or "auto" to detect */
    const char *initial_prompt; /* NULL for none */
    int32_t n_threads;
    int32_t beam_size;          /* <= 1: greedy */
    int32_t audio_ctx;          /* 0: whisper's full 1500 (30 s) */
    int32_t translate;
    int32_t no_context;
    int32_t detect_language;    /* 1: only detect the language, no text */
} crw_params;

typedef struct crw_vad_params {
    float threshold;
    int32_t min_speech_ms;
    int32_t min_silence_ms;
    int32_t speech_pad_ms;
    float max_speech_s;
} crw_vad_params;

/* percent: 0..100. */
typedef void (*crw_progress_cb)(int32_t percent, void *user_data);
/* Returns non-zero to stop the running transcription. */
typedef int32_t (*crw_abort_cb)(void *user_data);
/* level: ggml_log_level (1 debug, 2 info, 3 warn, 4 error, 5 cont). */
typedef void (*crw_log_cb)(int32_t level, const char *text, void *user_data);

CRW_API int32_t crw_abi_version(void);
CRW_API const char *crw_whisper_version(void);
CRW_API const char *crw_system_info(void);

/* NULL callback: whisper's log is dropped (its default is stderr). Error lines are still
 * kept for crw_last_error. */
CRW_API void crw_set_log(crw_log_cb cb, void *user_data);

/* Status and message of the last failed call on the calling thread. */
CRW_API int32_t crw_last_error_code(void);
CRW_API const char *crw_last_error(void);

/* Returns NULL on failure (see crw_last_error). */
CRW_API crw_context *crw_init(const char *model_path_utf8, int32_t use_gpu);
CRW_API void crw_free(crw_context *ctx);
CRW_API int32_t crw_is_multilingual(crw_context *ctx);

/* Thread-safe on one ctx: each call gets its own whisper state. */
CRW_API int32_t crw_transcribe(crw_context *ctx, const float *samples, int32_t n_samples,
                               const crw_params *params, crw_progress_cb progress,
                               crw_abort_cb abort_cb, void *user_data, crw_result **out);
CRW_API int32_t crw_result_n_segments(const crw_result *r);
CRW_API const char *crw_result_segment_text(const crw_result *r, int32_t i);
/* Milliseconds from the start of the samples. */
CRW_API int64_t crw_result_segment_t0_ms(const crw_result *r, int32_t i);
CRW_API int64_t crw_result_segment_t1_ms(const crw_result *r, int32_t i);
CRW_API const char *crw_result_language(const crw_result *r);
CRW_API void crw_result_free(crw_result *r);

/* Silero VAD. One crw_vad is not safe for concurrent use. */
CRW_API crw_vad *crw_vad_init(const char *model_path_utf8, int32_t n_threads);
CRW_API void crw_vad_free(crw_vad *vad);
CRW_API int32_t crw_vad_detect(crw_vad *vad, const float *samples, int32_t n_samples,
                               const crw_vad_params *params, crw_vad_result **out);
CRW_API int32_t crw_vad_result_n_segments(const crw_vad_result *r);
/* Milliseconds from the start of the samples. */
CRW_API int64_t crw_vad_result_t0_ms(const crw_vad_result *r, int32_t i);
CRW_API int64_t crw_vad_result_t1_ms(const crw_vad_result *r, int32_t i);
CRW_API void crw_vad_result_free(crw_vad_result *r);

#ifdef __cplusplus
}
#endif

#endif
