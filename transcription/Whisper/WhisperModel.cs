using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Whisper.net;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// A whisper model loaded once (Whisper.net's <see cref="WhisperFactory"/>) and shared: every
/// <see cref="Transcribe"/> call builds its own processor, and each processing run has a native state to
/// itself (kept for a later run when it ends: <see cref="KeptStates"/>), so calls may run in parallel on one instance.
/// </summary>
public sealed class WhisperModel : ITranscriptionEngine, IDisposable
{
    private const int SampleRate = 16_000;
    /// <summary>Whisper's encoder sees 30 s as 1500 positions: 50 per second.</summary>
    private const int AudioCtxPerSecond = 50;
    private const int FullAudioCtx = 1500;
    /// <summary>
    /// About 10 s. Smaller windows make tiny.en repeat or garble short utterances (seen with 256 and 384 on
    /// the first 2.5 s and 5 s of jfk.wav); from 512 up the text matches the full window's.
    /// </summary>
    private const int MinAudioCtx = 512;
    /// <summary>
    /// Positions of silence after an input's last sample (1.28 s). whisper ends its text on a closing timestamp, and with
    /// little room after the speech it stops early (its rest then encoded again) or drops the last words. On the nine
    /// English sample calls (tiny.en): no room 326 word errors, 16 positions 246, 32 positions 218, 64 positions 216 at
    /// 1 % more positions; rounding the context up to a multiple of 64, as before, left 0–63 positions for 221 errors.
    /// 32 and 48 each broke a behaviour the tests pin: with 32, JFK's "ask not what your country can do for you", read on
    /// across a pause, came back "ask not not to be safe", and with both, one of password-lockout-bad's quoted sentences
    /// ran on into the next turn ("eventually," where the turn starts "Eventually,").
    /// </summary>
    private const int TrailingPositions = 64;
    /// <summary>
    /// Encoder contexts are whole multiples of this. Models run with flash attention (as whisper-cli does): on the nine
    /// English sample calls a call costs 3–4 % less even with the positions this rounding adds, and over ten shifted copies
    /// tiny.en made 220 word errors a shift against 225 without it. But whisper.cpp then pads the attended positions to a
    /// multiple of 256 and masks none: a context of 614 reads 154 positions of what an earlier, longer run left in the kept
    /// state (or zeros on a fresh one), which cost 230 errors a shift. On whole blocks nothing is padded, so a run reads
    /// only its own audio.
    /// </summary>
    private const int FlashAttentionBlock = 256;
    /// <summary>How far (in words) a cut between packed utterances may move from where token timestamps put it, to a sentence's end.</summary>
    private const int SentenceSnapWords = 3;
    /// <summary>
    /// How far a segment's own edge may lie from the silence of a speaker's pause it is cut at, in seconds: further, and
    /// words on the pause's far side were said there (billing-double-charge's agent "Okay" timed 4.22-5.30 s across a
    /// pause of 4.80-5.30 s), so the segment is not taken to only reach into the silence.
    /// </summary>
    private const double EdgeDriftSeconds = 0.25;
    /// <summary>The longest run of words <see cref="Loops"/> looks for.</summary>
    private const int MaxLoopWords = 8;
    /// <summary>"lmgg": the first four bytes of every ggml whisper model.</summary>
    private const uint GgmlMagic = 0x67676d6c;
    /// <summary>Multilingual vocabularies have 51865 tokens or more; English-only ones 51864 (whisper_is_multilingual).</summary>
    private const int MultilingualVocabulary = 51865;

    private static readonly Lazy<HashSet<string>> Languages = new(() => WhisperFactory.GetSupportedLanguages().ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// About 5 s: what one language detection looks at (an utterance's start), at a sixth of the full window's encoder
    /// positions. On the English-to-German test file every utterance came out as with the full window.
    /// </summary>
    internal const int DetectionAudioCtx = 256;

    private readonly WhisperFactory _factory;
    private readonly KeptStates _states = new();
    private readonly Func<WhisperFactory, ShortWindowLanguageDetector?> _createDetector;
    private readonly Lock _detectorLock = new();
    private ShortWindowLanguageDetector? _detector;
    /// <summary>True once the short-window detector was built, or found impossible (Whisper.net's internals differ).</summary>
    private bool _detectorKnown;

    /// <summary>
    /// Calls under way. The model is shared by jobs and requests and may be disposed while one runs (a worker stopping):
    /// the native model and the detector's states are freed by whichever comes last, <see cref="Dispose"/> or the last call.
    /// </summary>
    private int _calls;
    private int _disposed;
    private int _freed;

    private WhisperModel(WhisperFactory factory, string path, bool multilingual, Func<WhisperFactory, ShortWindowLanguageDetector?> createDetector)
    {
        _factory = factory;
        Path = path;
        IsMultilingual = multilingual;
        _createDetector = createDetector;
    }

    public string Path { get; }

    /// <summary>
    /// How much of its input a language detection looks at, in seconds: the short window, or whisper's full 30 s where
    /// the short one cannot be had (an English-only model detects nothing).
    /// </summary>
    public double DetectionSeconds
    {
        get
        {
            using var call = Enter();
            return Detector() is { } detector ? detector.MaxSamples / (double)SampleRate : FullAudioCtx / (double)AudioCtxPerSecond;
        }
    }

    /// <summary>Native states built for runs so far (each kept for the next run).</summary>
    internal int StatesBuilt => _states.Created;

    /// <summary>False for English-only models (*.en), which always transcribe as "en".</summary>
    public bool IsMultilingual { get; }

    /// <summary>
    /// Loads a ggml whisper model. Throws <see cref="FileNotFoundException"/> or <see cref="WhisperException"/>.
    /// <paramref name="logger"/> hears when the language detector's states cost more than they should.
    /// </summary>
    public static WhisperModel Load(string path, ILogger? logger = null) =>
        Load(path, factory => ShortWindowLanguageDetector.TryCreate(factory, DetectionAudioCtx, logger));

    /// <summary>Loads a model whose short-window detector is built by <paramref name="createDetector"/> (tests make it fail).</summary>
    internal static WhisperModel Load(string path, Func<WhisperFactory, ShortWindowLanguageDetector?> createDetector)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Whisper model not found: {fullPath}", fullPath);
        var multilingual = ReadIsMultilingual(fullPath);
        var factory = WhisperRuntime.Load(() => WhisperFactory.FromPath(fullPath, new WhisperFactoryOptions { UseGpu = false, UseFlashAttention = true }),
            $"whisper model '{fullPath}'");
        return new WhisperModel(factory, fullPath, multilingual, createDetector);
    }

    /// <summary>Reads the ggml header (magic, then the vocabulary size); a file that is not a model is refused here, in words.</summary>
    private static bool ReadIsMultilingual(string path)
    {
        Span<byte> header = stackalloc byte[8];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                throw new WhisperException(WhisperError.Load, $"failed to load whisper model '{path}': the file is too short to be a ggml model");
        }
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic != GgmlMagic)
            throw new WhisperException(WhisperError.Load, $"failed to load whisper model '{path}': invalid model data (bad magic 0x{magic:x8})");
        return BinaryPrimitives.ReadInt32LittleEndian(header[4..]) >= MultilingualVocabulary;
    }

    /// <summary>The encoder context for <paramref name="sampleCount"/> samples, or 0 for whisper's full 30 s window.</summary>
    internal static int FittedAudioContext(int sampleCount)
    {
        var needed = (int)Math.Ceiling(sampleCount * (double)AudioCtxPerSecond / SampleRate);
        var ctx = (Math.Max(MinAudioCtx, needed + TrailingPositions) + FlashAttentionBlock - 1) / FlashAttentionBlock * FlashAttentionBlock;
        return ctx >= FullAudioCtx ? 0 : ctx;
    }

    /// <summary>Whisper.net reads <paramref name="samples16kMono"/> while its run goes on: the caller keeps them until this returns.</summary>
    public TranscriptionResult Transcribe(ReadOnlyMemory<float> samples16kMono, TranscriptionOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var call = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        return Run(samples16kMono, options, progress, cancellationToken);
    }

    /// <summary>One transcription, inside a counted call.</summary>
    private TranscriptionResult Run(ReadOnlyMemory<float> samples, TranscriptionOptions options, IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        var language = FixedLanguage(options.Language);
        var threads = Math.Max(1, options.Threads);
        var stages = options.Stages;
        double? probability = null;
        if (language is null)
        {
            var detected = Detect(samples.Span, threads, stages);
            cancellationToken.ThrowIfCancellationRequested();
            language = detected.Language;
            probability = detected.Probability;
        }

        var audioCtx = options.FitAudioContext ? FittedAudioContext(samples.Length) : 0;
        var encoder = default(TranscriptionStages.Mark);
        if (stages is not null)
        {
            var measuring = TranscriptionStages.Now();
            encoder = TimeEncoder(Configure(Build(threads), language, audioCtx, options), samples, audioCtx == 0, cancellationToken);
            stages.AddSince(TranscriptionStages.Stage.Measuring, measuring, threads);
        }
        // Token times cut packed utterances apart, and place card data within a line for redaction to mute where it was said.
        var builder = Configure(Build(threads), language, audioCtx, options).WithTokenTimestamps();
        using var call = new CallState(progress, cancellationToken, samples.Length / (double)SampleRate, audioCtx);
        builder.WithProgressHandler(call.Progress);
        builder.WithEncoderBeginHandler(call.EncoderBegins);
        builder.WithSegmentEventHandler(call.SegmentEnds);

        var started = TranscriptionStages.Now();
        var segments = Process(builder, samples, call, audioCtx == 0);
        if (options.Timeline is { } timeline)
        {
            var encoding = call.EncoderBegan?.Clock ?? TranscriptionTimeline.Now();
            timeline.Add("set-up", started.Clock, threads, part: true, end: encoding);
            timeline.Add(FormattableString.Invariant($"encoder and decoder, {(audioCtx > 0 ? audioCtx : FullAudioCtx)} positions x {call.EncoderRuns}"),
                encoding, threads, part: true);
        }
        if (stages is not null)
        {
            // Under a second of audio whisper returns before encoding: then it was all set-up.
            var ended = TranscriptionStages.Now();
            var setUp = (call.EncoderBegan ?? ended) - started;
            stages.Add(TranscriptionStages.Stage.SetUp, setUp, threads);
            // whisper encodes again from its last timestamp when a window's text ends early: each run costs the same.
            encoder *= Math.Max(1, call.EncoderRuns);
            stages.Add(TranscriptionStages.Stage.Encoder, encoder, threads);
            stages.Add(TranscriptionStages.Stage.Decoder, ended - started - setUp - encoder, threads);
            stages.CountRun(audioCtx > 0 ? audioCtx : FullAudioCtx, call.EncoderRuns);
        }
        var pieces = new List<(double Start, double End, string Raw, IReadOnlyList<TimedWord>? Words)>();
        foreach (var segment in segments)
        {
            if (Pieces(segment, options.SplitAt, options.JoinAt, samples.Span) is not { } cut)
                return TranscribeApart(samples, options with { Language = language }, probability, progress, cancellationToken);
            pieces.AddRange(cut);
        }
        var audioSeconds = samples.Length / (double)SampleRate;
        var decoded = RawUtf8Text.Decode(pieces.Select(s =>
        {
            var end = Math.Min(s.End, audioSeconds);
            return (Math.Min(s.Start, end), end, s.Raw,
                s.Words?.Select(w => w with { Start = Math.Min(w.Start, audioSeconds), End = Math.Min(w.End, audioSeconds) }).ToList() as IReadOnlyList<TimedWord>);
        }));
        if (call.RestFrom is { } textEnd)
        {
            // whisper stopped before the rest: it would have encoded the whole context again for it; the rest alone costs less.
            var restFrom = RestStart(textEnd, decoded, options.SplitAt, samples.Length);
            // Only a rest taken from before the text's end drops text; from textEnd itself every piece is kept (a zero-length final piece included).
            if (restFrom < textEnd)
                decoded = decoded.Where(s => (s.Start + s.End) / 2 < restFrom).ToList();
            var at = (int)(restFrom * SampleRate);
            var rest = Run(samples[at..], options with
            {
                Language = language,
                SplitAt = options.SplitAt.Select(t => t - restFrom).Where(t => t > 0).ToList(),
                JoinAt = options.JoinAt.Select(t => t - restFrom).Where(t => t > 0).ToList(),
            }, null, cancellationToken);
            decoded = [.. decoded, .. Shifted(rest.Segments, restFrom)];
        }
        progress?.Report(1.0);
        return new TranscriptionResult(language, decoded, probability);
    }

    /// <summary>
    /// Where the rest whisper stopped before starts. When its text ends inside a sentence, whisper stopped within a packed
    /// utterance, and a rest taken from there starts mid-word: broadband-fault-good's customer "restarted the | router twice"
    /// came back as "re-started the | the return toys", password-lockout-good's "forty-two Mill Lane" as "42 | 2-mill lane".
    /// Then that utterance's text is dropped and the rest starts at the silence before it (the cut between the two
    /// utterances) when that costs the encoder no more positions than the rest from where the text ended (it mostly fits
    /// the 512-position floor either way); else the rest starts where the text ended.
    /// </summary>
    private static double RestStart(double textEnd, IReadOnlyList<TranscribedSegment> decoded, IReadOnlyList<double> splitAt, int sampleCount)
    {
        if (decoded.Count == 0 || EndsSentence(decoded[^1].Text))
            return textEnd;
        var cuts = splitAt.Where(t => t > 0 && t <= textEnd).ToList();
        if (cuts.Count == 0)
            return textEnd;
        var cut = cuts.Max();
        return FittedAudioContext(sampleCount - (int)(cut * SampleRate)) <= FittedAudioContext(sampleCount - (int)(textEnd * SampleRate)) ? cut : textEnd;
    }

    private static IEnumerable<TranscribedSegment> Shifted(IEnumerable<TranscribedSegment> segments, double seconds) =>
        segments.Select(s => s with
        {
            Start = s.Start + seconds, End = s.End + seconds,
            Words = s.Words?.Select(w => w with { Start = w.Start + seconds, End = w.End + seconds }).ToList(),
        });

    /// <summary>
    /// Each stretch between the cuts transcribed alone: whisper ran packed utterances into one sentence (a digit string
    /// read on across the pause, the last words of one repeated at the start of the next) where no cut can be trusted.
    /// Utterances joined by a speaker's pauses (<see cref="TranscriptionOptions.JoinAt"/>) stay together first, one input a
    /// group, read on across those pauses as before; a group that cannot be is then read utterance by utterance.
    /// </summary>
    private TranscriptionResult TranscribeApart(ReadOnlyMemory<float> samples, TranscriptionOptions options, double? probability,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var apart = options.SplitAt.Except(options.JoinAt).ToList();
        var grouped = apart.Count > 0 && apart.Count < options.SplitAt.Count;
        var cuts = grouped ? apart : options.SplitAt;
        var bounds = cuts.Select(t => Math.Clamp((int)(t * SampleRate), 0, samples.Length)).Prepend(0).Append(samples.Length).ToList();
        var segments = new List<TranscribedSegment>();
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var (from, to) = (bounds[i] / (double)SampleRate, bounds[i + 1] / (double)SampleRate);
            List<double> joins = grouped ? [.. options.JoinAt.Where(t => t > from && t < to).Select(t => t - from)] : [];
            var part = Run(samples.Slice(bounds[i], bounds[i + 1] - bounds[i]), options with { SplitAt = joins, JoinAt = joins }, null, cancellationToken);
            segments.AddRange(Shifted(part.Segments, from));
        }
        progress?.Report(1.0);
        return new TranscriptionResult(options.Language, segments, probability);
    }

    public DetectedLanguage? DetectLanguage(ReadOnlySpan<float> samples16kMono, TranscriptionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var call = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsMultilingual)
            return null;
        var threads = Math.Max(1, options.Threads);
        if (Detector() is not { } detector)
            return Detect(samples16kMono, threads, options.Stages);
        var detecting = TranscriptionStages.Now();
        var detected = detector.Detect(samples16kMono, threads);
        options.Stages?.AddSince(TranscriptionStages.Stage.LanguageDetection, detecting, threads);
        options.Stages?.CountLanguageDetection();
        return detected;
    }

    /// <summary>
    /// whisper's detection is a pass of its own: the encoder on a full 30 s window whatever the input's length (it runs
    /// before whisper applies a fitted audio context); <see cref="DetectLanguage"/> uses a short window where it can.
    /// </summary>
    private DetectedLanguage Detect(ReadOnlySpan<float> samples, int threads, TranscriptionStages? stages)
    {
        var detecting = TranscriptionStages.Now();
        using var processor = Build(threads).Build();
        var (language, probability) = processor.DetectLanguageWithProbability(samples);
        stages?.AddSince(TranscriptionStages.Stage.LanguageDetection, detecting, threads);
        stages?.CountLanguageDetection();
        return new DetectedLanguage(language ?? "en", probability);
    }

    /// <summary>
    /// A segment as it came, or cut at each of <paramref name="splitAt"/> inside it; null when a cut cannot be placed.
    /// whisper's token timestamps are interpolated across pauses and can put the first word after a pause before it, so
    /// the cut they give is moved to the nearest sentence end within <see cref="SentenceSnapWords"/> words: speech
    /// detection cuts utterances at pauses, and whisper ends a sentence there. Without a sentence end that near, whisper
    /// has read across the pause: a cut of <paramref name="joinAt"/> (the speaker only paused) is left uncut, the piece
    /// spanning it; any other cut cannot be trusted. Cuts fall between words, never inside a character. Each piece is kept
    /// on its side of the cuts of <paramref name="joinAt"/> that bound it (its words' times may drift across them), so it
    /// spans one only where it was left uncut.
    /// </summary>
    private static List<(double Start, double End, string Raw, IReadOnlyList<TimedWord>? Words)>? Pieces(SegmentData segment,
        IReadOnlyList<double> splitAt, IReadOnlyList<double> joinAt, ReadOnlySpan<float> samples)
    {
        var start = segment.Start.TotalSeconds;
        var end = segment.End.TotalSeconds;
        var inside = splitAt.Where(t => t > start && t < end).Order().ToList();
        var words = Words(segment);
        if (inside.Count == 0)
            return [(start, end, segment.Text, words)];
        if (words is null)
            return null;
        // Each placed cut with the index of the first word after it (0: the whole segment lies after it; words.Count: before it).
        var placed = new List<(double Cut, int Boundary)>();
        foreach (var cut in inside)
        {
            var timed = words.Count(w => (w.Start + w.End) / 2 < cut);
            var joined = joinAt.Contains(cut);
            // Only a speaker's pause is looked at: elsewhere the segment's own edges count as they are.
            var (quietFrom, quietTo) = joined ? Silence(samples, cut) : (double.NegativeInfinity, double.PositiveInfinity);
            // The segment's own edges count when a sentence begins or ends there: it only reaches into the silence, which its
            // edge then lies near.
            bool OnlyReachesIntoSilence(int b) =>
                b == 0 ? words[0].Start >= quietFrom - EdgeDriftSeconds : words[^1].End <= quietTo + EdgeDriftSeconds;
            var snapped = Enumerable.Range(timed - SentenceSnapWords, 2 * SentenceSnapWords + 1)
                .Where(b => b >= 0 && b <= words.Count
                    && (b == 0 ? char.IsUpper(words[0].Text.TrimStart().TrimStart(Quotes).FirstOrDefault()) : EndsSentence(words[b - 1].Text))
                    && (b > 0 && b < words.Count || OnlyReachesIntoSilence(b)))
                .OrderBy(b => Math.Abs(b - timed))
                // Two sentence edges as many words from the cut: the one whose time lies nearer it. A short sentence alone
                // in its segment ("Sorry, no." timed 2.9-4.4 s, its "no." after a cut at 4.1 s) is otherwise put after the
                // cut, on the next utterance, whose first line then starts a second late.
                .ThenBy(b => Math.Abs(EdgeTime(words, b) - cut))
                .Select(b => (int?)b)
                .FirstOrDefault();
            if (snapped is null && joined)
            {
                // Words timed inside the cut's silence drifted there from one side. When none is said before the silence, the
                // segment only reaches back into it; when none after, forward; else whisper reads on across the pause.
                if (words.All(w => (w.Start + w.End) / 2 >= quietFrom))
                    snapped = 0;
                else if (words.All(w => (w.Start + w.End) / 2 <= quietTo))
                    snapped = words.Count;
                else if (!Loops(words))
                    continue;
            }
            if (snapped is null)
                return null;
            placed.Add((cut, Math.Max(snapped.Value, placed.Count > 0 ? placed[^1].Boundary : 0)));
        }
        var boundaries = placed.Select(p => p.Boundary).Where(b => b > 0 && b < words.Count).Distinct().Append(words.Count).ToList();
        var pieces = new List<(double Start, double End, string Raw, IReadOnlyList<TimedWord>? Words)>();
        var from = 0;
        foreach (var to in boundaries)
        {
            var piece = words.GetRange(from, to - from);
            var after = placed.Where(p => p.Boundary <= from && joinAt.Contains(p.Cut)).Select(p => p.Cut).DefaultIfEmpty(start).Max();
            var before = placed.Where(p => p.Boundary >= to && joinAt.Contains(p.Cut)).Select(p => p.Cut).DefaultIfEmpty(end).Min();
            var pieceStart = Math.Clamp(from == 0 ? start : words[from].Start, after, before);
            var pieceEnd = Math.Clamp(to == words.Count ? end : words[to - 1].End, pieceStart, before);
            pieces.Add((pieceStart, pieceEnd, string.Concat(piece.Select(w => w.Text)), piece));
            from = to;
        }
        return pieces;
    }

    /// <summary>When the words before <paramref name="boundary"/> end and those after it begin: the middle of the gap between them.</summary>
    private static double EdgeTime(IReadOnlyList<TimedWord> words, int boundary) =>
        boundary == 0 ? words[0].Start
        : boundary == words.Count ? words[^1].End
        : (words[boundary - 1].End + words[boundary].Start) / 2;

    /// <summary>
    /// True when a run of two to <see cref="MaxLoopWords"/> words comes three times in a row: whisper looping, as tiny.en did
    /// reading jfk.wav's "ask not … what your country" across its pause ("ask not to not be the first to be the first to be
    /// the first to"). Transcribed apart, each utterance came back as said.
    /// </summary>
    private static bool Loops(IReadOnlyList<TimedWord> words)
    {
        var plain = words.Select(w => new string(w.Text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray())).ToList();
        for (var run = 2; run <= MaxLoopWords; run++)
        {
            for (var at = 0; at + 3 * run <= plain.Count; at++)
            {
                if (Enumerable.Range(at, 2 * run).All(k => plain[k] == plain[k + run]))
                    return true;
            }
        }
        return false;
    }

    /// <summary>The stretch of digital silence (samples of exactly zero) around <paramref name="cut"/>, in seconds.</summary>
    private static (double From, double To) Silence(ReadOnlySpan<float> samples, double cut)
    {
        var at = Math.Clamp((int)(cut * SampleRate), 0, samples.Length);
        var from = at;
        while (from > 0 && samples[from - 1] == 0)
            from--;
        var to = at;
        while (to < samples.Length && samples[to] == 0)
            to++;
        return (from / (double)SampleRate, to / (double)SampleRate);
    }

    /// <summary>Quotes whisper may put around a sentence (it writes a caller's turns as quoted speech at times): a sentence closed inside them still ends there.</summary>
    private static readonly char[] Quotes = ['"', '\'', '\u201C', '\u201D', '\u2018', '\u2019', '\u00AB', '\u00BB'];

    internal static bool EndsSentence(string raw) => raw.TrimEnd().TrimEnd(Quotes) is [.., '.' or '?' or '!'];

    /// <summary>
    /// A segment's words with their times (their text still whisper's bytes): its text tokens (whisper's own markers,
    /// "[_BEG_]", "[_TT_n]", are left out) joined at each token that starts with a space. Null when the tokens do not spell
    /// the segment's text.
    /// </summary>
    private static List<TimedWord>? Words(SegmentData segment)
    {
        var words = new List<TimedWord>();
        foreach (var token in segment.Tokens)
        {
            var text = token.Text ?? "";
            if (text.Length == 0 || (text.StartsWith("[_", StringComparison.Ordinal) && text.EndsWith(']')))
                continue;
            var (t0, t1) = (token.Start / 100.0, token.End / 100.0);
            if (words.Count == 0 || text[0] == ' ')
                words.Add(new TimedWord(t0, t1, text));
            else
                words[^1] = words[^1] with { End = t1, Text = words[^1].Text + text };
        }
        return string.Concat(words.Select(w => w.Text)) == segment.Text ? words : null;
    }

    private static WhisperProcessorBuilder Configure(WhisperProcessorBuilder builder, string language, int audioCtx, TranscriptionOptions options)
    {
        builder.WithLanguage(language)
            .WithNoContext()
            .WithStringPool(RawUtf8Text.Pool);
        if (audioCtx > 0)
            builder.WithAudioContextSize(audioCtx);
        if (options.BeamSize > 1)
            builder.WithBeamSearchSamplingStrategy(beam => beam.WithBeamSize(options.BeamSize));
        if (options.InitialPrompt is { Length: > 0 } prompt)
            builder.WithPrompt(prompt);
        return builder;
    }

    /// <summary>
    /// The encoder's time on these samples: a run that stops after one token (no fallback), less its set-up, is the
    /// encoder plus a prompt pass of the decoder, which is a few tokens against the encoder's hundreds of positions.
    /// </summary>
    private TranscriptionStages.Mark TimeEncoder(WhisperProcessorBuilder builder, ReadOnlyMemory<float> samples, bool fullWindow,
        CancellationToken cancellationToken)
    {
        using var call = new CallState(null, cancellationToken);
        builder.WithMaxTokensPerSegment(1).WithTemperatureInc(0).WithEncoderBeginHandler(call.EncoderBegins);
        Process(builder, samples, call, fullWindow);
        return call.EncoderBegan is { } began ? TranscriptionStages.Now() - began : default;
    }

    /// <summary>One whisper run on a kept native state, or on a state of its own where none can be kept.</summary>
    private List<SegmentData> Process(WhisperProcessorBuilder builder, ReadOnlyMemory<float> samples, CallState call, bool fullWindow)
    {
        var segments = new List<SegmentData>();
        builder.WithSegmentEventHandler(segments.Add);
        int? result;
        using (var processor = builder.Build())
            result = _states.Run(processor, samples.Span, fullWindow, call.Token);
        if (result is null)
            ProcessOnOwnState(builder, samples, call).GetAwaiter().GetResult();
        else if (result != 0)
        {
            call.ThrowCancelled();
            throw new WhisperException(WhisperError.Transcribe, $"whisper transcription failed ({result})");
        }
        call.ThrowCancelled();
        return segments;
    }

    /// <summary>Whisper.net's own run (a state built and freed for it); the segments reach the builder's handlers.</summary>
    private static async Task ProcessOnOwnState(WhisperProcessorBuilder builder, ReadOnlyMemory<float> samples, CallState call)
    {
        // DisposeAsync waits for the native run to stop, so nothing outlives this call even when it is cancelled.
        await using var processor = builder.Build();
        try
        {
            await foreach (var _ in processor.ProcessAsync(samples, call.Token))
            {
            }
        }
        catch (OperationCanceledException)
        {
            call.ThrowCancelled();
            throw;
        }
        catch (WhisperProcessingException e)
        {
            call.ThrowCancelled();
            throw new WhisperException(WhisperError.Transcribe, $"whisper transcription failed ({e.ErrorCode})", e);
        }
    }

    private WhisperProcessorBuilder Build(int threads) => _factory.CreateBuilder().WithThreads(threads);

    /// <summary>The language to transcribe in, or null to detect it (only a multilingual model can).</summary>
    private string? FixedLanguage(string language)
    {
        if (string.IsNullOrWhiteSpace(language) || language == "auto")
            return IsMultilingual ? null : "en";
        if (!Languages.Value.Contains(language))
            throw new WhisperException(WhisperError.Argument, $"unknown language '{language}'");
        return language;
    }

    /// <summary>
    /// The short-window detector, built on first use; null where Whisper.net's internals differ (then the full window is
    /// used, for good). A build that throws is not remembered: the caller sees the failure, and the next call builds again.
    /// </summary>
    private ShortWindowLanguageDetector? Detector()
    {
        lock (_detectorLock)
        {
            if (!_detectorKnown)
            {
                _detector = _createDetector(_factory);
                _detectorKnown = true;
            }
            return _detector;
        }
    }

    /// <summary>Counts a call under way; throws once the model is disposed.</summary>
    private Call Enter()
    {
        Interlocked.Increment(ref _calls);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Exit();
            throw new ObjectDisposedException(nameof(WhisperModel));
        }
        return new Call(this);
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _calls) == 0 && Volatile.Read(ref _disposed) != 0)
            Free();
    }

    /// <summary>Frees the native model at once, or when the last call under way ends.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && Volatile.Read(ref _calls) == 0)
            Free();
    }

    private void Free()
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0)
            return;
        lock (_detectorLock)
            _detector?.Dispose();
        _states.Dispose();
        _factory.Dispose();
    }

    /// <summary>A call under way, ended by disposing it.</summary>
    private readonly struct Call(WhisperModel model) : IDisposable
    {
        public void Dispose() => model.Exit();
    }

    /// <summary>
    /// One call's progress and cancellation. Progress is reported from whisper.cpp's callback, where an
    /// exception must not unwind into native code: it stops the run and is thrown afterwards instead.
    /// </summary>
    private sealed class CallState(IProgress<double>? progress, CancellationToken cancellationToken, double audioSeconds = double.PositiveInfinity,
        int audioCtx = 0) : IDisposable
    {
        /// <summary>
        /// When whisper's text ends this close to the input's end, the rest is not transcribed again (that would encode the
        /// whole context again, or at least 512 positions alone). An empirical choice, not a bound: a short word fits in it
        /// (espeak-ng's "yes" lasts 0.32 s trimmed; speech detection's 0.1 s pads leave up to 0.3 s unpadded). The evidence:
        /// tiny.en wrote [BLANK_AUDIO] from a 0.23 s rest, delivery-delay's 0.32 s rest transcribed alone at 512 positions
        /// gave no text, and no rest with words in the nine sample calls and 18 calls rendered from their scripts was under
        /// 0.98 s. A call whose last word whisper skipped within 0.4 s of its input's end loses that word.
        /// </summary>
        private const double MinRestSeconds = 0.4;
        private double _textEnds;

        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private double _reported = -1;
        private Exception? _failure;

        public CancellationToken Token => _stop.Token;

        /// <summary>When whisper's first encoder run began, on its (the calling) thread: the end of the input's set-up.</summary>
        public TranscriptionStages.Mark? EncoderBegan { get; private set; }

        public int EncoderRuns { get; private set; }

        /// <summary>Called on whisper's thread as each segment is written, before it encodes again.</summary>
        public void SegmentEnds(SegmentData segment) => _textEnds = Math.Max(_textEnds, segment.End.TotalSeconds);

        /// <summary>
        /// Where whisper's text ended when it stopped before a rest that may hold words (see <see cref="EncoderBegins"/>), for
        /// the caller to transcribe that rest as an input of its own; null when whisper went through its input.
        /// </summary>
        public double? RestFrom { get; private set; }

        /// <summary>
        /// False stops whisper before it encodes a rest too short to hold a word (it keeps the text it has), or before it
        /// encodes its fitted context (<c>audioCtx</c>) again for a longer rest: whisper seeks to where its text ended and
        /// encodes as many positions for what is left, where the rest alone needs fewer.
        /// </summary>
        public bool EncoderBegins(EncoderBeginData data)
        {
            if (EncoderRuns > 0 && audioSeconds - _textEnds < MinRestSeconds)
                return false;
            if (EncoderRuns > 0 && _textEnds > 0 && audioCtx > 0
                && FittedAudioContext((int)((audioSeconds - _textEnds) * SampleRate)) < audioCtx)
            {
                RestFrom = _textEnds;
                return false;
            }
            EncoderBegan ??= TranscriptionStages.Now();
            EncoderRuns++;
            return true;
        }

        public void Progress(int percent)
        {
            var value = Math.Clamp(percent / 100.0, 0.0, 1.0);
            // whisper reports 100 before the last window is decoded; the caller gets 1.0 when the result is ready.
            if (progress is null || value <= _reported || value >= 1.0 || _failure is not null)
                return;
            _reported = value;
            try
            {
                progress.Report(value);
            }
            catch (Exception e)
            {
                _failure = e;
                _stop.Cancel();
            }
        }

        /// <summary>Throws the progress sink's exception, or the caller's cancellation, if either stopped the run.</summary>
        public void ThrowCancelled()
        {
            if (_failure is not null)
                ExceptionDispatchInfo.Throw(_failure);
            cancellationToken.ThrowIfCancellationRequested();
        }

        public void Dispose() => _stop.Dispose();
    }
}
