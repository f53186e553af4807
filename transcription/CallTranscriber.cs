using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;

namespace CallReview.Transcription;

/// <summary>
/// Turns a recording into speaker-labelled turns on the call's clock. Each channel (agent, customer) is
/// decoded to 16 kHz mono, cut into utterances by speech detection, and each utterance is transcribed on
/// its own at its real offset: whisper's own timestamps drift by seconds across long silences, and turn
/// starts are what reviewers pin. A mono (or 3+ channel) recording becomes one mixed track.
/// </summary>
public sealed class CallTranscriber(AudioDecoder decoder, ISpeechDetector speech, ITranscriptionEngine engine, TranscriptionOptions baseOptions)
{
    /// <summary>Speech on one channel with pauses shorter than this is one turn, transcribed together: whisper needs the context.</summary>
    private const double JoinGapSeconds = 1.0;
    /// <summary>Whisper's window is 30 s; joined utterances stay inside it.</summary>
    private const double MaxJoinedSeconds = 28;

    public static class Speakers
    {
        public const string Agent = "agent";
        public const string Customer = "customer";
        public const string Mixed = "speaker";
    }

    public sealed record Transcript(string? Language, IReadOnlyList<TranscriptTurn> Turns);

    public async Task<Transcript> TranscribeAsync(string path, int channels, ChannelLayout layout, string language,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var tracks = Tracks(channels, layout);
        var turns = new List<TranscriptTurn>();
        var languages = new Dictionary<string, double>();
        for (var i = 0; i < tracks.Count; i++)
        {
            var (channel, speaker) = tracks[i];
            var samples = channel is { } c ? await decoder.DecodeChannelAsync(path, c, ct) : await decoder.DecodeMonoMixAsync(path, ct);
            var trackProgress = progress is null ? null : new Progress<double>(p => progress.Report((i + p) / tracks.Count));
            var (trackLanguage, trackTurns) = TranscribeTrack(samples, channel ?? 0, speaker, language, trackProgress, ct);
            turns.AddRange(trackTurns);
            if (trackLanguage is not null)
                languages[trackLanguage] = languages.GetValueOrDefault(trackLanguage) + trackTurns.Sum(t => t.EndMs - t.StartMs);
        }
        turns.Sort((a, b) => a.StartMs != b.StartMs ? a.StartMs.CompareTo(b.StartMs) : a.Channel.CompareTo(b.Channel));
        progress?.Report(1);
        var callLanguage = languages.Count == 0 ? (language == "auto" ? null : language) : languages.MaxBy(l => l.Value).Key;
        return new Transcript(callLanguage, turns);
    }

    /// <summary>Which decoded tracks a layout gives: (channel or null for the mix, speaker label).</summary>
    public static IReadOnlyList<(int? Channel, string Speaker)> Tracks(int channels, ChannelLayout layout) =>
        ChannelLayouts.Roles(channels, layout) is { IsMixed: false } roles
            ? [(roles.AgentChannel, Speakers.Agent), (roles.CustomerChannel, Speakers.Customer)]
            : [(null, Speakers.Mixed)];

    private (string? Language, List<TranscriptTurn> Turns) TranscribeTrack(ReadOnlyMemory<float> samples, int channel, string speaker, string language,
        IProgress<double>? progress, CancellationToken ct)
    {
        var utterances = Join(speech.Detect(samples.Span, ct), JoinGapSeconds, MaxJoinedSeconds);
        var results = new List<TranscriptTurn>?[utterances.Count];
        var total = utterances.Sum(u => u.Duration);
        var done = 0.0;

        List<TranscriptTurn> Transcribe(int index, string utteranceLanguage, out string detected)
        {
            ct.ThrowIfCancellationRequested();
            var span = utterances[index];
            var start = Math.Clamp((int)(span.Start * AudioDecoder.SampleRate), 0, samples.Length);
            var end = Math.Clamp((int)Math.Ceiling(span.End * AudioDecoder.SampleRate), start, samples.Length);
            var result = engine.Transcribe(samples.Span.Slice(start, end - start), baseOptions with { Language = utteranceLanguage }, null, ct);
            detected = result.Language;
            done += span.Duration;
            progress?.Report(total > 0 ? done / total : 1);
            var turns = result.Segments
                .Where(s => !string.IsNullOrWhiteSpace(s.Text))
                .Select(s => new TranscriptTurn(channel, speaker,
                    ToMs(span.Start + Math.Max(0, s.Start)),
                    ToMs(Math.Min(span.End, span.Start + Math.Max(s.End, s.Start))),
                    s.Text.Trim(), result.Language))
                .ToList();
            // The utterance starts where speech was detected; whisper's first timestamp can sit late within it.
            if (turns.Count > 0)
                turns[0] = turns[0] with { StartMs = ToMs(span.Start) };
            return turns;
        }

        // With "auto", detect the language once per track on its longest utterance and hold it for the
        // rest: a short utterance alone is too little for a reliable guess.
        var trackLanguage = language == "auto" ? null : language;
        if (trackLanguage is null && utterances.Count > 0)
        {
            var longest = Enumerable.Range(0, utterances.Count).MaxBy(i => utterances[i].Duration);
            results[longest] = Transcribe(longest, "auto", out var detected);
            trackLanguage = detected;
        }
        for (var i = 0; i < utterances.Count; i++)
            results[i] ??= Transcribe(i, trackLanguage!, out _);
        return (trackLanguage, results.SelectMany(r => r!).ToList());
    }

    private static long ToMs(double seconds) => (long)Math.Round(seconds * 1000);

    /// <summary>Merges spans separated by less than <paramref name="gapSeconds"/>, as long as the result stays under <paramref name="maxSeconds"/>.</summary>
    public static IReadOnlyList<SpeechSpan> Join(IReadOnlyList<SpeechSpan> spans, double gapSeconds, double maxSeconds)
    {
        var joined = new List<SpeechSpan>();
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (joined.Count > 0 && span.Start - joined[^1].End < gapSeconds && span.End - joined[^1].Start <= maxSeconds)
                joined[^1] = joined[^1] with { End = Math.Max(joined[^1].End, span.End) };
            else
                joined.Add(span);
        }
        return joined;
    }
}
