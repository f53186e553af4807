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
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new CommandUsageException("missing the audio file");
        var file = CommandLine.UserPath(args[0]);
        if (!File.Exists(file))
            throw new FileNotFoundException($"no such file: {file}");
        var info = await probe.ProbeAsync(file, new AudioLimits(settings.Limits.MaxUploadBytes, settings.Limits.MaxDurationSeconds), ct);

        var requestedLayout = CommandLine.Option(args, "--layout");
        ChannelLayout layout = ChannelLayout.AgentLeft;
        if (requestedLayout is not null && !ChannelLayouts.TryParse(requestedLayout, out layout))
            throw new CommandUsageException($"unknown layout '{requestedLayout}'");
        var language = LanguageCode.Normalize(CommandLine.Option(args, "--language") ?? settings.Whisper.Language)
            ?? throw new CommandUsageException("language must be auto or a code such as en");
        var threads = CommandLine.Option(args, "--threads") is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : settings.Whisper.Threads;
        var modelPath = CommandLine.Option(args, "--model") is { } m ? CommandLine.UserPath(m) : models.Resolve(null)?.Path ?? throw new InvalidOperationException(models.MissingModelAdvice);

        using var model = WhisperModel.Load(modelPath);
        var speech = SpeechDetectors.Create(settings.SpeechDetection, models);
        try
        {
            var transcriber = new CallTranscriber(new AudioDecoder(ffmpeg), speech, model,
                new TranscriptionOptions { Threads = threads, BeamSize = settings.Whisper.BeamSize });
            var transcript = await transcriber.TranscribeAsync(file, info.Channels, ChannelLayouts.ForChannels(info.Channels, layout), language, null, ct);
            var body = new CallsApiController.Transcript(transcript.Language, transcript.Turns
                .Select(s => new CallsApiController.TranscriptSegment(s.Speaker, s.Channel, s.StartMs / 1000.0, s.EndMs / 1000.0, s.Text))
                .ToList());
            if (CommandLine.Flag(args, "--json"))
                Console.WriteLine(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
            else
                foreach (var s in body.Segments)
                    Console.WriteLine($"[{TimeText.Duration((long)(s.Start * 1000))}] {s.Speaker}: {s.Text}");
        }
        finally
        {
            (speech as IDisposable)?.Dispose();
        }
        return 0;
    }
}
