using System.Globalization;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>The arguments <c>transcribe</c> and <c>benchmark</c> share: the audio file, layout, language, threads and model.</summary>
public sealed record TranscriptionArguments(string File, ChannelLayout Layout, string Language, int Threads, string ModelPath)
{
    public static TranscriptionArguments Parse(IReadOnlyList<string> args, TranscriptionSettings settings, ModelCatalog models)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new CommandUsageException("missing the audio file");
        var file = CommandLine.UserPath(args[0]);
        if (!System.IO.File.Exists(file))
            throw new FileNotFoundException($"no such file: {file}");
        var layout = ChannelLayout.AgentLeft;
        if (CommandLine.Option(args, "--layout") is { } layoutText && !ChannelLayouts.TryParse(layoutText, out layout))
            throw new CommandUsageException($"unknown layout '{layoutText}'");
        var language = LanguageCode.Normalize(CommandLine.Option(args, "--language") ?? settings.Whisper.Language)
            ?? throw new CommandUsageException("language must be auto or a code such as en");
        var threads = PositiveNumber(args, "--threads", settings.Whisper.Threads);
        var model = CommandLine.Option(args, "--model") is { } m ? CommandLine.UserPath(m)
            : models.Resolve(null)?.Path ?? throw new InvalidOperationException(models.MissingModelAdvice);
        if (!System.IO.File.Exists(model))
            throw new FileNotFoundException($"no such model: {model}");
        return new TranscriptionArguments(file, layout, language, threads, model);
    }

    public static int PositiveNumber(IReadOnlyList<string> args, string name, int fallback)
    {
        if (CommandLine.Option(args, name) is not { } text)
            return fallback;
        return int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new CommandUsageException($"{name} must be a positive number");
    }
}
