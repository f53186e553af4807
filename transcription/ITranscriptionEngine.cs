namespace CallReview.Transcription;

/// <summary>Options for one transcription call. Language "auto" lets the engine detect it.</summary>
public sealed record TranscriptionOptions
{
    public string Language { get; init; } = "auto";
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
    public int BeamSize { get; init; } = 1;
    /// <summary>True to size the encoder's audio context to the input instead of a padded 30 s window (faster on short utterances).</summary>
    public bool FitAudioContext { get; init; } = true;
    public string? InitialPrompt { get; init; }
    /// <summary>
    /// Times, in seconds from the start of the samples, that no returned segment may span: several utterances packed into
    /// one input come back cut apart where the silence between them lies, so no line holds words of two of them.
    /// </summary>
    public IReadOnlyList<double> SplitAt { get; init; } = [];
    /// <summary>
    /// Those of <see cref="SplitAt"/> that lie where the speaker only paused: when whisper reads a sentence on across one,
    /// the segment comes back whole, spanning it, instead of the input being transcribed again utterance by utterance.
    /// Only such a segment spans one of them; at every other cut, segments come back cut apart as <see cref="SplitAt"/> says.
    /// </summary>
    public IReadOnlyList<double> JoinAt { get; init; } = [];
    /// <summary>When set, the engine adds its stages' times (and times its encoder apart, at a cost): measuring runs only.</summary>
    public TranscriptionStages? Stages { get; init; }
    /// <summary>When set, the pipeline and the engine note when each stage ran, on which thread (no extra work).</summary>
    public TranscriptionTimeline? Timeline { get; init; }
}

/// <summary>
/// A piece of recognised text, times in seconds from the start of the samples given; <paramref name="Words"/>, when the
/// engine times them, say when each of its words was said (spelling the text, its non-speech markers aside).
/// </summary>
public sealed record TranscribedSegment(double Start, double End, string Text, IReadOnlyList<TimedWord>? Words = null);

/// <summary>A word and when it was said, in seconds (from the start of the samples, or of the call once placed on it).</summary>
public sealed record TimedWord(double Start, double End, string Text);

/// <summary>What was said, in which language; <paramref name="LanguageProbability"/> only when the engine detected the language.</summary>
public sealed record TranscriptionResult(string Language, IReadOnlyList<TranscribedSegment> Segments, double? LanguageProbability = null);

/// <summary>A language the engine heard, with its probability (0 to 1).</summary>
public sealed record DetectedLanguage(string Language, double Probability);

/// <summary>The one seam between the pipeline and a speech-to-text engine (whisper.cpp through Whisper.net today).</summary>
public interface ITranscriptionEngine
{
    /// <summary>
    /// Transcribes 16 kHz mono float samples, which the engine may read until it returns (no copy of its own). Progress is
    /// reported from 0 to 1.
    /// </summary>
    TranscriptionResult Transcribe(ReadOnlyMemory<float> samples16kMono, TranscriptionOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The language spoken in 16 kHz mono float samples, for <c>Language = "auto"</c>: a pass of its own, so a caller can
    /// detect once and transcribe many inputs in that language. Null when the engine knows one language only.
    /// </summary>
    DetectedLanguage? DetectLanguage(ReadOnlySpan<float> samples16kMono, TranscriptionOptions options, CancellationToken cancellationToken = default);
}
