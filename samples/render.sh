#!/usr/bin/env bash
# Renders the scripted sample calls in samples/calls/<slug>.json to stereo MP3 (agent LEFT, customer RIGHT)
# plus samples/calls/<slug>.timing.json (each turn's real start/end, each annotation's resolved start).
#
#   samples/render.sh                # render every call whose json changed since the last render
#   samples/render.sh --force        # re-render everything
#   samples/render.sh SLUG [SLUG..]  # only these calls (still skipped when unchanged, unless --force)
#   samples/render.sh --check        # exit 1 if any call needs rendering (for CI); renders nothing
#
# A voice is "festival:<name>" (Festival's text2wave, e.g. festival:cmu_us_slt_arctic_hts) or an espeak-ng voice
# (e.g. ro+f3), used only where Festival has no voice for the language.
# Needs festival (with the voices the calls name), espeak-ng, ffmpeg (with libmp3lame; ffprobe comes with it), jq
# and sha256sum. Deterministic: the same json, script and tool versions give byte-identical files. Renders one
# call at a time, one process at a time.
set -euo pipefail

# Bump when a change here alters the audio or timing, so that every call is re-rendered.
RENDER_VERSION=2
RATE=16000            # output sample rate (Hz); timing is computed in samples at this rate
BITRATE=48k           # stereo MP3 bitrate
DEFAULT_SPEED=160     # words per minute unless the call sets "speed" (Festival: its own pace scaled by 160/speed)
DEFAULT_PAUSE=0.6     # seconds of silence before a turn unless the turn sets "pauseBefore"
TAIL=0.8              # seconds of silence after the last turn

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
calls_dir="$here/calls"

force=0
check=0
only=()
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        --check) check=1 ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "render.sh: unknown option $arg" >&2; exit 2 ;;
        *) only+=("$arg") ;;
    esac
done

# --- tools ---------------------------------------------------------------------------------------------------
missing=()
for tool in text2wave espeak-ng ffmpeg ffprobe jq sha256sum awk iconv; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    packages="festival festvox-us-slt-hts festvox-kallpc16k festvox-italp16k festvox-itapc16k festival-czech festvox-czech-dita festvox-czech-machac espeak-ng ffmpeg jq coreutils gawk"
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "render.sh: installing missing tools (${missing[*]})" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >&2
    else
        echo "render.sh: missing ${missing[*]}. Install them with:" >&2
        echo "    sudo apt-get install -y $packages" >&2
        exit 1
    fi
fi
if [[ "$(ffmpeg -hide_banner -encoders 2>/dev/null)" != *libmp3lame* ]]; then
    echo "render.sh: this ffmpeg has no libmp3lame encoder (Debian/Ubuntu ffmpeg has it)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Number of samples in a WAV file (exact, from the stream header).
samples_of() {
    ffprobe -v error -select_streams a:0 -show_entries stream=duration_ts -of csv=p=0 "$1"
}

# Seconds (decimal) to whole samples at $RATE.
to_samples() {
    awk -v s="$1" -v r="$RATE" 'BEGIN { printf "%d", s * r + 0.5 }'
}

# Speaks one turn's text file into a WAV with the call's voice; a Festival voice also loads the language's
# pronunciation fixes (samples/festival-<language>.scm) when there are any.
speak() {
    local voice="$1" speed="$2" text="$3" wav="$4" language="$5"
    if [[ "$voice" == festival:* ]]; then
        # Festival's voices read an 8-bit charset: Latin-1 (the Italian ones need it for accented letters), Latin-2
        # for the Czech ones (č, ř, ů); dashes and quotes the charset lacks are transliterated.
        local charset=ISO-8859-1
        [[ "$language" == cs ]] && charset=ISO-8859-2
        iconv -f UTF-8 -t "$charset//TRANSLIT" "$text" > "$text.8bit"
        local lexicon=()
        [[ -f "$here/festival-$language.scm" ]] && lexicon=(-eval "$here/festival-$language.scm")
        text2wave -eval "(voice_${voice#festival:})" "${lexicon[@]}" \
            -eval "(Parameter.set 'Duration_Stretch $(awk -v d="$DEFAULT_SPEED" -v s="$speed" 'BEGIN { printf "%.3f", d / s }'))" \
            "$text.8bit" -o "$wav"
    else
        espeak-ng -v "$voice" -s "$speed" -f "$text" -w "$wav"
    fi
}

# Checks the parts of a call file the renderer relies on; the xunit test checks the rest.
validate() {
    local json="$1" slug="$2"
    jq -e --arg slug "$slug" '
        (.slug == $slug)
        and (.language | IN("en", "it", "ro", "cs"))
        and (.agentVoice | type == "string" and length > 0)
        and (.customerVoice | type == "string" and length > 0)
        and (.agentVoice != .customerVoice)
        and (.turns | type == "array" and length > 0)
        and all(.turns[]; (.speaker | IN("agent", "customer"))
                          and (.text | type == "string" and length > 0)
                          and ((.pauseBefore // 0) | type == "number" and . >= 0 and . <= 30))
    ' "$json" >/dev/null || { echo "render.sh: $json is not a valid call (slug, language, voices, turns)" >&2; return 1; }
}

render_call() {
    local json="$1"
    local slug; slug="$(basename "$json" .json)"
    local mp3="$calls_dir/$slug.mp3" timing="$calls_dir/$slug.timing.json"

    validate "$json" "$slug"

    local hash language
    language="$(jq -r '.language' "$json")"
    # The language's pronunciation fixes count too: changing them re-renders that language's calls.
    hash="$( { printf 'render-version=%s rate=%s bitrate=%s speed=%s pause=%s tail=%s\n' \
                "$RENDER_VERSION" "$RATE" "$BITRATE" "$DEFAULT_SPEED" "$DEFAULT_PAUSE" "$TAIL"; cat "$json";
               if [[ -f "$here/festival-$language.scm" ]]; then cat "$here/festival-$language.scm"; fi; } \
            | sha256sum | cut -d' ' -f1)"
    if ((!force)) && [[ -f "$mp3" && -f "$timing" ]] \
        && [[ "$(jq -r '.sourceSha256 // ""' "$timing" 2>/dev/null)" == "$hash" ]]; then
        echo "  $slug: up to date"
        return 0
    fi
    if ((check)); then
        echo "  $slug: NEEDS RENDERING"
        stale=1
        return 0
    fi

    local t0=$SECONDS
    local dir="$work/$slug"
    mkdir -p "$dir"
    local speed agent_voice customer_voice n
    speed="$(jq -r ".speed // $DEFAULT_SPEED" "$json")"
    agent_voice="$(jq -r '.agentVoice' "$json")"
    customer_voice="$(jq -r '.customerVoice' "$json")"
    n="$(jq '.turns | length' "$json")"

    : > "$dir/list.txt"
    : > "$dir/turns.tsv"
    local cursor=0 i
    for ((i = 0; i < n; i++)); do
        local speaker pause voice pan pause_n speech_n seg_n start end
        speaker="$(jq -r ".turns[$i].speaker" "$json")"
        pause="$(jq -r ".turns[$i].pauseBefore // $DEFAULT_PAUSE" "$json")"
        jq -r ".turns[$i].text" "$json" > "$dir/$i.txt"
        if [[ "$speaker" == agent ]]; then
            voice="$agent_voice"; pan='pan=stereo|c0=c0|c1=0*c0'      # agent: LEFT
        else
            voice="$customer_voice"; pan='pan=stereo|c0=0*c0|c1=c0'   # customer: RIGHT
        fi
        # Speak the turn, trim the voice's leading and trailing silence, resample to $RATE mono.
        speak "$voice" "$speed" "$dir/$i.txt" "$dir/$i.raw.wav" "$language"
        ffmpeg -v error -nostdin -y -i "$dir/$i.raw.wav" \
            -af "silenceremove=start_periods=1:start_threshold=-50dB,areverse,silenceremove=start_periods=1:start_threshold=-50dB,areverse,aresample=$RATE" \
            -ac 1 -ar "$RATE" -c:a pcm_s16le -bitexact "$dir/$i.speech.wav"
        speech_n="$(samples_of "$dir/$i.speech.wav")"
        pause_n="$(to_samples "$pause")"
        # Segment = pause (silence on both channels) + the speech on its speaker's channel.
        ffmpeg -v error -nostdin -y -f lavfi -t "$(awk -v p="$pause_n" -v r="$RATE" 'BEGIN{printf "%.6f", p/r}')" \
            -i "anullsrc=channel_layout=stereo:sample_rate=$RATE" -i "$dir/$i.speech.wav" \
            -filter_complex "[1:a]$pan[s];[0:a][s]concat=n=2:v=0:a=1[out]" -map '[out]' \
            -ar "$RATE" -c:a pcm_s16le -bitexact "$dir/$i.seg.wav"
        seg_n="$(samples_of "$dir/$i.seg.wav")"
        # Speech starts where the segment's silence ends: measured, so any rounding in the silence is counted.
        start=$((cursor + seg_n - speech_n))
        end=$((cursor + seg_n))
        printf '%d\t%s\t%d\t%d\n' "$i" "$speaker" "$start" "$end" >> "$dir/turns.tsv"
        cursor=$end
        printf "file '%s'\n" "$dir/$i.seg.wav" >> "$dir/list.txt"
    done
    ffmpeg -v error -nostdin -y -f lavfi -t "$TAIL" -i "anullsrc=channel_layout=stereo:sample_rate=$RATE" \
        -c:a pcm_s16le -bitexact "$dir/tail.wav"
    printf "file '%s'\n" "$dir/tail.wav" >> "$dir/list.txt"
    cursor=$((cursor + $(samples_of "$dir/tail.wav")))

    # Mix down: concatenate the segments (one speaker at a time) and encode stereo MP3.
    ffmpeg -v error -nostdin -y -f concat -safe 0 -i "$dir/list.txt" \
        -ac 2 -ar "$RATE" -c:a libmp3lame -b:a "$BITRATE" \
        -map_metadata -1 -id3v2_version 0 -write_id3v1 0 -fflags +bitexact -flags:a +bitexact \
        "$dir/out.mp3"

    # Timing: turn start/end in seconds (3 decimals) and each annotation resolved to its turn.
    local turns_json
    turns_json="$(awk -F'\t' -v r="$RATE" '
        BEGIN { printf "[" }
        { printf "%s{\"index\":%d,\"speaker\":\"%s\",\"channel\":\"%s\",\"start\":%.3f,\"end\":%.3f}",
                 (NR > 1 ? "," : ""), $1, $2, ($2 == "agent" ? "left" : "right"), $3 / r, $4 / r }
        END { printf "]" }' "$dir/turns.tsv")"
    local duration
    duration="$(awk -v c="$cursor" -v r="$RATE" 'BEGIN { printf "%.3f", c / r }')"
    jq --arg hash "$hash" --argjson turns "$turns_json" --argjson duration "$duration" \
       --argjson rate "$RATE" --arg bitrate "$BITRATE" --argjson version "$RENDER_VERSION" '
        {
            slug, language,
            audio: (.slug + ".mp3"),
            channels: { left: "agent", right: "customer" },
            sampleRate: $rate, bitrate: $bitrate,
            durationSeconds: $duration,
            turns: $turns,
            annotations: [ .annotations // [] | to_entries[] | . as $e | $turns[$e.value.turn] as $t |
                { index: $e.key, kind: $e.value.kind, turn: $e.value.turn, category: $e.value.category,
                  severity: ($e.value.severity // null), start: $t.start, end: $t.end } ],
            renderVersion: $version,
            sourceSha256: $hash
        }' "$json" > "$dir/timing.json"

    mv "$dir/out.mp3" "$mp3"
    mv "$dir/timing.json" "$timing"
    rm -rf "$dir"
    printf '  %s: rendered %ss of audio, %s bytes, in %ss\n' "$slug" "$duration" "$(stat -c %s "$mp3")" "$((SECONDS - t0))"
}

stale=0
shopt -s nullglob
files=()
if ((${#only[@]})); then
    for s in "${only[@]}"; do
        [[ -f "$calls_dir/$s.json" ]] || { echo "render.sh: no call $calls_dir/$s.json" >&2; exit 1; }
        files+=("$calls_dir/$s.json")
    done
else
    for f in "$calls_dir"/*.json; do
        [[ "$f" == *.timing.json || "$f" == *.transcript.json ]] || files+=("$f")
    done
fi
((${#files[@]})) || { echo "render.sh: no calls in $calls_dir" >&2; exit 1; }

start_all=$SECONDS
echo "Rendering ${#files[@]} sample call(s) from $calls_dir"
for f in "${files[@]}"; do
    render_call "$f"
done
if ((check)); then
    ((stale)) && { echo "Some calls need rendering: run samples/render.sh" >&2; exit 1; }
    echo "All calls are up to date."
    exit 0
fi
total="$(du -cb "$calls_dir"/*.mp3 | tail -1 | cut -f1)"
echo "Done in $((SECONDS - start_all))s; all audio: $total bytes"
