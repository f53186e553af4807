using System.Collections.Concurrent;
using System.Globalization;
using CallReview.Db;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Exercises;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// Audio and peaks of an exercise's call for the learner's player. A whole call is served from its playback copy;
/// an excerpt is cut once with ffmpeg (and its own peaks computed) into <c>media/excerpts/</c>, so the learner's
/// clock, waveform and audio all start at the excerpt and nothing outside it is sent.
/// </summary>
public static class ExerciseMedia
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Cutting = new();

    public sealed class Handler(IDbConnectionFactory db, RecordingStore store, FfmpegOptions ffmpeg)
    {
        public async Task<MediaFile?> AudioAsync(ExerciseRecord exercise, string side, CancellationToken ct)
        {
            if (await SourceAsync(exercise, side, ct) is not { } source)
                return null;
            if (Excerpt(exercise, side) is not { } excerpt)
                return source;
            var path = await CutAsync(exercise, excerpt, source.Path, ct);
            return new MediaFile(path, "audio/mpeg");
        }

        public async Task<MediaFile?> PeaksAsync(ExerciseRecord exercise, string side, CancellationToken ct)
        {
            if (Excerpt(exercise, side) is { } excerpt)
            {
                if (await SourceAsync(exercise, side, ct) is not { } source)
                    return null;
                var audio = await CutAsync(exercise, excerpt, source.Path, ct);
                return new MediaFile(System.IO.Path.ChangeExtension(audio, ".peaks.json"), "application/json");
            }
            if (exercise.CallOf(side) is not { } callId)
                return null;
            await using var connection = await db.OpenAsync(ct);
            return (await RecordingFiles.FindAsync(connection, callId))?.Peaks(store);
        }

        private static (long Start, long End)? Excerpt(ExerciseRecord exercise, string side) =>
            side == "a" && (exercise.ExcerptStartMs is not null || exercise.ExcerptEndMs is not null)
                ? (exercise.ExcerptStartMs ?? 0, exercise.ExcerptEndMs ?? long.MaxValue)
                : null;

        private async Task<MediaFile?> SourceAsync(ExerciseRecord exercise, string side, CancellationToken ct)
        {
            if (exercise.CallOf(side) is not { } callId)
                return null;
            await using var connection = await db.OpenAsync(ct);
            return (await RecordingFiles.FindAsync(connection, callId))?.Audio(store);
        }

        /// <summary>The excerpt's MP3 (and peaks beside it), cut on first use; the name carries the bounds, so an edited excerpt is cut again.</summary>
        private async Task<string> CutAsync(ExerciseRecord exercise, (long Start, long End) excerpt, string source, CancellationToken ct)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"exercise-{exercise.Id}-{excerpt.Start}-{(excerpt.End == long.MaxValue ? 0 : excerpt.End)}");
            var audio = store.FullPath(System.IO.Path.Combine("media", "excerpts", name + ".mp3"));
            var peaks = System.IO.Path.ChangeExtension(audio, ".peaks.json");
            if (System.IO.File.Exists(audio) && System.IO.File.Exists(peaks))
                return audio;
            var gate = Cutting.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct);
            try
            {
                if (System.IO.File.Exists(audio) && System.IO.File.Exists(peaks))
                    return audio;
                await new PlaybackTranscoder(ffmpeg).CutAsync(source, audio, TimeSpan.FromMilliseconds(excerpt.Start),
                    excerpt.End == long.MaxValue ? null : TimeSpan.FromMilliseconds(excerpt.End - excerpt.Start), ct);
                await new WaveformGenerator(ffmpeg).WriteFileAsync(audio, peaks, cancellationToken: ct);
                return audio;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
