using System.Text.Json;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// <c>transcribe &lt;file&gt; [--layout …] [--model &lt;path&gt;] [--language auto|xx] [--threads n] [--json]</c>:
/// the same pipeline as a job, printed instead of stored; touches no database.
/// </summary>
public sealed class TranscribeCommand(AudioProbe probe, ModelCatalog models, TranscriptionSettings settings, FfmpegOptions ffmpeg) : ICliCommand
{
    public string Name => "transcribe";
    public string Usage => "transcribe <file> [--layout mono|agent-left|agent-right] [--model <path>] [--language auto|xx] [--threads n] [--json]";
    public bool UsesDatabase => false;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (file, layout, language, threads, modelPath) = TranscriptionArguments.Parse(args, settings, models);
        var info = await probe.ProbeAsync(file, new AudioLimits(settings.Limits.MaxUploadBytes, settings.Limits.MaxDurationSeconds), ct);

        // Loaded while ffmpeg starts decoding, as every pass of the benchmark does.
        var options = new TranscriptionOptions { Threads = threads, BeamSize = settings.Whisper.BeamSize };
        await using var loaded = TranscriptionModels.Load(() => WhisperModel.Load(modelPath),
            () => SpeechDetectors.Create(settings.SpeechDetection, models), options);
        var transcriber = new CallTranscriber(new AudioDecoder(ffmpeg), loaded, options, settings.Limits.MaxDurationSeconds);
        var transcript = await transcriber.TranscribeAsync(file, info, ChannelLayouts.ForChannels(info.Channels, layout), language, null, ct);
        var body = new CallsApiController.Transcript(transcript.Language, transcript.Turns
            .Select(s => new CallsApiController.TranscriptSegment(s.Speaker, s.Channel, s.StartMs / 1000.0, s.EndMs / 1000.0, s.Text, s.Language))
            .ToList());
        if (CommandLine.Flag(args, "--json"))
            Console.WriteLine(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
        else
            foreach (var s in body.Segments)
                Console.WriteLine($"[{TimeText.Duration((long)(s.Start * 1000))}] {s.Speaker} ({s.Language}): {s.Text}");
        return 0;
    }
}
