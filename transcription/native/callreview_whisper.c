/* See callreview_whisper.h. */
#include "callreview_whisper.h"

#include "whisper.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CRW_MSG_MAX 1024

struct crw_context {
    struct whisper_context *wctx;
};

struct crw_segment {
    char *text;
    int64_t t0_ms;
    int64_t t1_ms;
};

struct crw_result {
    int32_t n_segments;
    struct crw_segment *segments;
    char language[16];
};

struct crw_vad {
    struct whisper_vad_context *vctx;
};

struct crw_vad_result {
    int32_t n_segments;
    int64_t *bounds_ms; /* start, end pairs */
};

/* Per-call data for whisper's callbacks. */
struct crw_call {
    crw_progress_cb progress;
    crw_abort_cb abort_cb;
    void *user_data;
    atomic_int aborted;
};

static _Thread_local int32_t t_error_code;
static _Thread_local char t_error[CRW_MSG_MAX];
/* Whisper reports why a load failed only through its log, so the error lines of the current call are kept. */
static _Thread_local char t_log_error[CRW_MSG_MAX];

static crw_log_cb g_log_cb;
static void *g_log_user_data;

static void set_error(int32_t code, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    t_error_code = code;
    vsnprintf(t_error, sizeof t_error, fmt, args);
    va_end(args);
}

static void clear_error(void) {
    t_error_code = CRW_OK;
    t_error[0] = '\0';
    t_log_error[0] = '\0';
}

static void log_trampoline(enum ggml_log_level level, const char *text, void *user_data) {
    (void)user_data;
    if (level == GGML_LOG_LEVEL_ERROR && text != NULL) {
        /* The first line usually names the cause ("bad magic"), later ones the callers that gave up. */
        size_t used = strlen(t_log_error);
        snprintf(t_log_error + used, sizeof t_log_error - used, "%s%s", used > 0 ? "; " : "", text);
        size_t n = strlen(t_log_error);
        while (n > 0 && (t_log_error[n - 1] == '\n' || t_log_error[n - 1] == '\r')) {
            t_log_error[--n] = '\0';
        }
    }
    crw_log_cb cb = g_log_cb;
    if (cb != NULL && text != NULL) {
        cb((int32_t)level, text, g_log_user_data);
    }
}

/* Install our trampoline before whisper can log anything, so its stderr default never runs. */
__attribute__((constructor)) static void crw_install_log(void) {
    whisper_log_set(log_trampoline, NULL);
}

static const char *log_reason(void) {
    return t_log_error[0] != '\0' ? t_log_error : "no detail from whisper.cpp";
}

int32_t crw_abi_version(void) { return CRW_ABI_VERSION; }

const char *crw_whisper_version(void) { return whisper_version(); }

const char *crw_system_info(void) { return whisper_print_system_info(); }

void crw_set_log(crw_log_cb cb, void *user_data) {
    g_log_user_data = user_data;
    g_log_cb = cb;
    whisper_log_set(log_trampoline, NULL);
}

int32_t crw_last_error_code(void) { return t_error_code; }

const char *crw_last_error(void) { return t_error; }

crw_context *crw_init(const char *model_path_utf8, int32_t use_gpu) {
    clear_error();
    if (model_path_utf8 == NULL || model_path_utf8[0] == '\0') {
        set_error(CRW_ERR_ARGUMENT, "model path is empty");
        return NULL;
    }
    crw_context *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) {
        set_error(CRW_ERR_MEMORY, "out of memory");
        return NULL;
    }
    struct whisper_context_params cparams = whisper_context_default_params();
    cparams.use_gpu = use_gpu != 0;
    /* No state here: every transcription creates its own, so one model serves parallel calls. */
    ctx->wctx = whisper_init_from_file_with_params_no_state(model_path_utf8, cparams);
    if (ctx->wctx == NULL) {
        set_error(CRW_ERR_LOAD, "failed to load whisper model '%s': %s", model_path_utf8, log_reason());
        free(ctx);
        return NULL;
    }
    return ctx;
}

void crw_free(crw_context *ctx) {
    if (ctx == NULL) {
        return;
    }
    whisper_free(ctx->wctx);
    free(ctx);
}

int32_t crw_is_multilingual(crw_context *ctx) {
    return ctx != NULL && whisper_is_multilingual(ctx->wctx) ? 1 : 0;
}

static bool abort_trampoline(void *data) {
    struct crw_call *call = data;
    if (atomic_load(&call->aborted)) {
        return true;
    }
    if (call->abort_cb != NULL && call->abort_cb(call->user_data) != 0) {
        atomic_store(&call->aborted, 1);
        return true;
    }
    return false;
}

static void progress_trampoline(struct whisper_context *wctx, struct whisper_state *state, int progress,
                                void *data) {
    (void)wctx;
    (void)state;
    struct crw_call *call = data;
    if (call->progress != NULL) {
        call->progress(progress, call->user_data);
    }
}

static bool is_auto_language(const char *language) {
    return language == NULL || language[0] == '\0' || strcmp(language, "auto") == 0;
}

static crw_result *collect_result(struct whisper_state *state, const char *language, int64_t audio_ms) {
    crw_result *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    int lang_id = whisper_full_lang_id_from_state(state);
    const char *lang = lang_id >= 0 ? whisper_lang_str(lang_id) : NULL;
    snprintf(r->language, sizeof r->language, "%s", lang != NULL ? lang : language);

    int n = whisper_full_n_segments_from_state(state);
    if (n <= 0) {
        return r;
    }
    r->segments = calloc((size_t)n, sizeof *r->segments);
    if (r->segments == NULL) {
        free(r);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const char *text = whisper_full_get_segment_text_from_state(state, i);
        struct crw_segment *seg = &r->segments[i];
        seg->text = strdup(text != NULL ? text : "");
        if (seg->text == NULL) {
            r->n_segments = i;
            crw_result_free(r);
            return NULL;
        }
        /* whisper's timestamps are in centiseconds */
        seg->t0_ms = whisper_full_get_segment_t0_from_state(state, i) * 10;
        seg->t1_ms = whisper_full_get_segment_t1_from_state(state, i) * 10;
        /* The last segment can end at the window's end, past the audio. */
        if (seg->t1_ms > audio_ms) {
            seg->t1_ms = audio_ms;
        }
        if (seg->t0_ms > seg->t1_ms) {
            seg->t0_ms = seg->t1_ms;
        }
        r->n_segments = i + 1;
    }
    return r;
}

int32_t crw_transcribe(crw_context *ctx, const float *samples, int32_t n_samples, const crw_params *params,
                       crw_progress_cb progress, crw_abort_cb abort_cb, void *user_data, crw_result **out) {
    clear_error();
    if (out == NULL) {
        set_error(CRW_ERR_ARGUMENT, "out is NULL");
        return t_error_code;
    }
    *out = NULL;
    if (ctx == NULL || params == NULL || (samples == NULL && n_samples > 0) || n_samples < 0) {
        set_error(CRW_ERR_ARGUMENT, "invalid argument to crw_transcribe");
        return t_error_code;
    }
    if (params->audio_ctx < 0 || params->audio_ctx > whisper_model_n_audio_ctx(ctx->wctx)) {
        set_error(CRW_ERR_ARGUMENT, "audio_ctx %d is outside 0..%d", params->audio_ctx,
                  whisper_model_n_audio_ctx(ctx->wctx));
        return t_error_code;
    }

    struct crw_call call = {.progress = progress, .abort_cb = abort_cb, .user_data = user_data};
    atomic_init(&call.aborted, 0);
    if (abort_trampoline(&call)) {
        set_error(CRW_ERR_ABORTED, "transcription aborted");
        return t_error_code;
    }

    const bool multilingual = whisper_is_multilingual(ctx->wctx) != 0;
    const bool beam = params->beam_size > 1;
    struct whisper_full_params wp =
        whisper_full_default_params(beam ? WHISPER_SAMPLING_BEAM_SEARCH : WHISPER_SAMPLING_GREEDY);
    wp.n_threads = params->n_threads > 0 ? params->n_threads : 1;
    if (beam) {
        wp.beam_search.beam_size = params->beam_size;
    }
    wp.audio_ctx = params->audio_ctx;
    wp.translate = params->translate != 0;
    wp.no_context = params->no_context != 0;
    wp.initial_prompt = params->initial_prompt;
    wp.detect_language = params->detect_language != 0 && multilingual;
    /* English-only models cannot detect: whisper would run detection on an English vocabulary. */
    wp.language = is_auto_language(params->language) ? (multilingual ? "auto" : "en") : params->language;
    wp.print_progress = false;
    wp.print_realtime = false;
    wp.print_timestamps = false;
    wp.print_special = false;
    wp.progress_callback = progress_trampoline;
    wp.progress_callback_user_data = &call;
    wp.abort_callback = abort_trampoline;
    wp.abort_callback_user_data = &call;

    if (!is_auto_language(params->language) && whisper_lang_id(params->language) < 0) {
        set_error(CRW_ERR_ARGUMENT, "unknown language '%s'", params->language);
        return t_error_code;
    }

    struct whisper_state *state = whisper_init_state(ctx->wctx);
    if (state == NULL) {
        set_error(CRW_ERR_STATE, "failed to create whisper state: %s", log_reason());
        return t_error_code;
    }
    int rc = whisper_full_with_state(ctx->wctx, state, wp, samples, n_samples);
    if (atomic_load(&call.aborted)) {
        set_error(CRW_ERR_ABORTED, "transcription aborted");
    } else if (rc != 0) {
        set_error(CRW_ERR_TRANSCRIBE, "whisper_full failed with %d: %s", rc, log_reason());
    } else {
        *out = collect_result(state, wp.language, (int64_t)n_samples * 1000 / WHISPER_SAMPLE_RATE);
        if (*out == NULL) {
            set_error(CRW_ERR_MEMORY, "out of memory");
        }
    }
    whisper_free_state(state);
    return t_error_code;
}

int32_t crw_result_n_segments(const crw_result *r) { return r != NULL ? r->n_segments : 0; }

const char *crw_result_segment_text(const crw_result *r, int32_t i) {
    return r != NULL && i >= 0 && i < r->n_segments ? r->segments[i].text : NULL;
}

int64_t crw_result_segment_t0_ms(const crw_result *r, int32_t i) {
    return r != NULL && i >= 0 && i < r->n_segments ? r->segments[i].t0_ms : -1;
}

int64_t crw_result_segment_t1_ms(const crw_result *r, int32_t i) {
    return r != NULL && i >= 0 && i < r->n_segments ? r->segments[i].t1_ms : -1;
}

const char *crw_result_language(const crw_result *r) { return r != NULL ? r->language : NULL; }

void crw_result_free(crw_result *r) {
    if (r == NULL) {
        return;
    }
    for (int32_t i = 0; i < r->n_segments; i++) {
        free(r->segments[i].text);
    }
    free(r->segments);
    free(r);
}

crw_vad *crw_vad_init(const char *model_path_utf8, int32_t n_threads) {
    clear_error();
    if (model_path_utf8 == NULL || model_path_utf8[0] == '\0') {
        set_error(CRW_ERR_ARGUMENT, "VAD model path is empty");
        return NULL;
    }
    crw_vad *vad = calloc(1, sizeof *vad);
    if (vad == NULL) {
        set_error(CRW_ERR_MEMORY, "out of memory");
        return NULL;
    }
    struct whisper_vad_context_params vp = whisper_vad_default_context_params();
    vp.n_threads = n_threads > 0 ? n_threads : 1;
    vp.use_gpu = false;
    vad->vctx = whisper_vad_init_from_file_with_params(model_path_utf8, vp);
    if (vad->vctx == NULL) {
        set_error(CRW_ERR_LOAD, "failed to load VAD model '%s': %s", model_path_utf8, log_reason());
        free(vad);
        return NULL;
    }
    return vad;
}

void crw_vad_free(crw_vad *vad) {
    if (vad == NULL) {
        return;
    }
    whisper_vad_free(vad->vctx);
    free(vad);
}

int32_t crw_vad_detect(crw_vad *vad, const float *samples, int32_t n_samples, const crw_vad_params *params,
                       crw_vad_result **out) {
    clear_error();
    if (out == NULL) {
        set_error(CRW_ERR_ARGUMENT, "out is NULL");
        return t_error_code;
    }
    *out = NULL;
    if (vad == NULL || params == NULL || (samples == NULL && n_samples > 0) || n_samples < 0) {
        set_error(CRW_ERR_ARGUMENT, "invalid argument to crw_vad_detect");
        return t_error_code;
    }
    crw_vad_result *r = calloc(1, sizeof *r);
    if (r == NULL) {
        set_error(CRW_ERR_MEMORY, "out of memory");
        return t_error_code;
    }
    if (n_samples == 0) {
        *out = r;
        return CRW_OK;
    }

    struct whisper_vad_params vp = whisper_vad_default_params();
    vp.threshold = params->threshold;
    vp.min_speech_duration_ms = params->min_speech_ms;
    vp.min_silence_duration_ms = params->min_silence_ms;
    vp.speech_pad_ms = params->speech_pad_ms;
    vp.max_speech_duration_s = params->max_speech_s;

    struct whisper_vad_segments *segs = whisper_vad_segments_from_samples(vad->vctx, vp, samples, n_samples);
    if (segs == NULL) {
        free(r);
        set_error(CRW_ERR_VAD, "speech detection failed: %s", log_reason());
        return t_error_code;
    }
    int n = whisper_vad_segments_n_segments(segs);
    if (n > 0) {
        r->bounds_ms = calloc((size_t)n * 2, sizeof *r->bounds_ms);
        if (r->bounds_ms == NULL) {
            whisper_vad_free_segments(segs);
            free(r);
            set_error(CRW_ERR_MEMORY, "out of memory");
            return t_error_code;
        }
        for (int i = 0; i < n; i++) {
            /* whisper's VAD times are in centiseconds */
            r->bounds_ms[2 * i] = (int64_t)(whisper_vad_segments_get_segment_t0(segs, i) * 10.0f + 0.5f);
            r->bounds_ms[2 * i + 1] = (int64_t)(whisper_vad_segments_get_segment_t1(segs, i) * 10.0f + 0.5f);
        }
        r->n_segments = n;
    }
    whisper_vad_free_segments(segs);
    *out = r;
    return CRW_OK;
}

int32_t crw_vad_result_n_segments(const crw_vad_result *r) { return r != NULL ? r->n_segments : 0; }

int64_t crw_vad_result_t0_ms(const crw_vad_result *r, int32_t i) {
    return r != NULL && i >= 0 && i < r->n_segments ? r->bounds_ms[2 * i] : -1;
}

int64_t crw_vad_result_t1_ms(const crw_vad_result *r, int32_t i) {
    return r != NULL && i >= 0 && i < r->n_segments ? r->bounds_ms[2 * i + 1] : -1;
}

void crw_vad_result_free(crw_vad_result *r) {
    if (r == NULL) {
        return;
    }
    free(r->bounds_ms);
    free(r);
}
