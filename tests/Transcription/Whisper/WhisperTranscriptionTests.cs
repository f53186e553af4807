using System.Diagnostics;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

/// <summary>One trained tiny.en model for the class, as the app shares one model across calls.</summary>
public sealed class TinyEnFixture : IDisposable
{
    public TinyEnFixture()
    {
        NativeRequirement.Require();
        Model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        Jfk = Wav.ReadMono16k(TestData.Audio("jfk.wav"));
    }

    public WhisperModel Model { get; }
    public float[] Jfk { get; }

    public void Dispose() => Model.Dispose();
}

public sealed class WhisperTranscriptionTests(TinyEnFixture fixture) : IClassFixture<TinyEnFixture>
{
    public const string JfkText =
        "And so my fellow Americans ask not what your country can do for you, ask what you can do for your country.";

    private static string Text(TranscriptionResult result) => string.Join(" ", result.Segments.Select(s => s.Text));

    /// <summary>The text with every segment's and word's times: a change in what the encoder read shows in these first.</summary>
    private static string Timed(TranscriptionResult result) => string.Join("\n", result.Segments.Select(s =>
        FormattableString.Invariant($"{s.Start:0.00}-{s.End:0.00} {s.Text} | {string.Join(" ", (s.Words ?? []).Select(w => $"{w.Start:0.00}-{w.End:0.00}{w.Text}"))}")));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TinyEn_Jfk_MatchesKnownSentence(bool fitAudioContext)
    {
        var result = fixture.Model.Transcribe(fixture.Jfk,
            new TranscriptionOptions { Threads = 2, FitAudioContext = fitAudioContext });

        var text = Text(result);
        Assert.True(WordErrorRate.Compute(JfkText, text) <= 0.10, $"WER too high for: {text}");
        Assert.Equal("en", result.Language);
        // An English-only model cannot detect a language: "auto" means English, without a detection pass.
        Assert.Null(result.LanguageProbability);
        Assert.All(result.Segments, s => Assert.InRange(s.Start, 0, s.End));
        Assert.InRange(result.Segments[^1].End, 9.0, 11.1);
    }

    [Fact]
    public void Transcribe_RunsOneAfterAnother_ShareKeptNativeStatesWhateverTheirContextAndGiveWhatFreshStatesGive()
    {
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        var fitted = new TranscriptionOptions { Threads = 2, Language = "en" };
        var window = fitted with { FitAudioContext = false };
        var clip = fixture.Jfk.AsMemory(0, 5 * 16_000);
        var twice = fixture.Jfk.Concat(fixture.Jfk).ToArray();

        // 1,280 positions, then 768, 512, the full 1,500 and 768 again. With flash attention a context that is not a whole
        // number of 256-position blocks would read what the longer run before it left in the state (JFK alone needs 614).
        var texts = new[] { Timed(model.Transcribe(twice, fitted)), Timed(model.Transcribe(fixture.Jfk, fitted)),
            Timed(model.Transcribe(clip, fitted)), Timed(model.Transcribe(fixture.Jfk, window)), Timed(model.Transcribe(fixture.Jfk, fitted)) };

        // One state for the fitted contexts, one for the full window (whose padding stays as a fresh state has it).
        Assert.Equal(2, model.StatesBuilt);
        Assert.Equal(OnFreshModel(twice, fitted), texts[0]);
        Assert.Equal(OnFreshModel(fixture.Jfk, fitted), texts[1]);
        Assert.Equal(OnFreshModel(clip, fitted), texts[2]);
        Assert.Equal(OnFreshModel(fixture.Jfk, window), texts[3]);
        Assert.Equal(texts[1], texts[4]);
        Assert.Contains("ask not what your country can do for you", texts[1], StringComparison.Ordinal);

        static string OnFreshModel(ReadOnlyMemory<float> samples, TranscriptionOptions options)
        {
            using var fresh = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
            return Timed(fresh.Transcribe(samples, options));
        }
    }

    [Theory]
    [InlineData(2.5, "And so my fellow Americans")]
    [InlineData(5.0, "And so my fellow Americans ask not")]
    public void ShortUtterance_WithFittedContext_IsNotRepeated(double seconds, string expected)
    {
        var clip = fixture.Jfk.AsMemory(0, (int)(seconds * 16_000));

        var result = fixture.Model.Transcribe(clip, new TranscriptionOptions { Threads = 2, FitAudioContext = true });

        var text = Text(result);
        Assert.True(WordErrorRate.Compute(expected, text) <= 0.2, $"got: {text}");
        Assert.All(result.Segments, s => Assert.InRange(s.End, 0, seconds));
    }

    [Fact]
    public async Task SplitAt_TwoUtterancesRunTogether_ComeBackCutBetweenThem()
    {
        var dir = Directory.CreateTempSubdirectory("callreview-split-").FullName;
        try
        {
            var first = Wav.Trimmed((await ScriptedStereoCall.SpeakAsync(dir, new("agent", 0, "Thank you for calling Northwind Energy, how can I help?"), "first.wav")).Span);
            var second = Wav.Trimmed((await ScriptedStereoCall.SpeakAsync(dir, new("agent", 0, "You will receive an email confirmation today."), "second.wav")).Span);
            // A tenth of a second apart: whisper writes both as one segment unless told where to cut.
            var gap = 16_000 / 10;
            var samples = new float[first.Length + gap + second.Length];
            first.CopyTo(samples);
            second.CopyTo(samples.AsSpan(first.Length + gap));
            var secondStarts = (first.Length + gap) / 16_000.0;

            var result = fixture.Model.Transcribe(samples,
                new TranscriptionOptions { Threads = 2, Language = "en", SplitAt = [(first.Length + gap / 2) / 16_000.0] });

            var opening = result.Segments.Where(s => s.Text.Contains("calling", StringComparison.OrdinalIgnoreCase)).ToList();
            var confirmation = result.Segments.Where(s => s.Text.Contains("email", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(opening.Count == 1 && confirmation.Count == 1, Text(result));
            Assert.NotSame(opening[0], confirmation[0]);
            Assert.DoesNotContain("you will", opening[0].Text, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("you will", confirmation[0].Text.ToLowerInvariant());
            Assert.True(Math.Abs(confirmation[0].Start - secondStarts) <= 0.25,
                $"'{confirmation[0].Text}' starts at {confirmation[0].Start:0.00} s, spoken at {secondStarts:0.00} s");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// password-lockout-bad's customer turns from 35.8 s on (where speech detection places them), packed as the pipeline
    /// packs them: tiny.en writes them as quoted speech ("… unlock it?" "Eventually, …"), and a sentence closed inside
    /// quotes still ends there, so the input is cut, not transcribed again utterance by utterance (four more encoder runs).
    /// </summary>
    [Fact]
    public async Task SplitAt_SentencesWhisperWritesInQuotes_AreCutWithoutTranscribingApart()
    {
        var channel = (await new AudioDecoder(new FfmpegOptions())
            .DecodeChannelAsync(Path.Combine(RepoRoot.Path, "samples", "calls", "password-lockout-bad.mp3"), 1)).ToArray();
        (double Start, double End)[] turns = [(35.8, 39.1), (45.2, 49.9), (54.6, 57.5), (61.7, 65.7)];
        var gap = 16_000 / 2;
        var pieces = turns.Select(t => channel[(int)(t.Start * 16_000)..(int)(t.End * 16_000)]).ToList();
        var samples = new float[pieces.Sum(p => p.Length) + gap * (pieces.Count - 1)];
        var cuts = new List<double>();
        var at = 0;
        foreach (var piece in pieces)
        {
            if (at > 0)
                cuts.Add((at - gap / 2) / 16_000.0);
            piece.CopyTo(samples, at);
            at += piece.Length + gap;
        }
        var stages = new TranscriptionStages();

        var result = fixture.Model.Transcribe(samples,
            new TranscriptionOptions { Threads = 2, Language = "en", FitAudioContext = true, SplitAt = cuts, Stages = stages });

        Assert.Equal(1, stages.Runs);
        // Each utterance's first line, found as the pipeline places lines: by the cuts before its middle (its punctuation is whisper's).
        var firstWords = Enumerable.Range(0, turns.Length)
            .Select(i => result.Segments.First(s => cuts.Count(c => c <= (s.Start + s.End) / 2) == i).Text.Trim().TrimStart('"').Split(' ')[0].TrimEnd(',', '.'));
        Assert.Equal(["Yes", "Eventually", "Can't", "I"], firstWords);
    }

    [Fact]
    public void ProgressHandlerException_StopsTheTranscriptionAndSurfaces()
    {
        var progress = new SynchronousProgress(_ => throw new InvalidOperationException("progress sink broke"));

        var error = Assert.Throws<InvalidOperationException>(() =>
            fixture.Model.Transcribe(fixture.Jfk, new TranscriptionOptions { Threads = 2 }, progress));

        Assert.Equal("progress sink broke", error.Message);
    }

    [Fact]
    public void Progress_IsMonotonicAndEndsAtOne()
    {
        var reported = new List<double>();
        var progress = new SynchronousProgress(reported.Add);

        fixture.Model.Transcribe(fixture.Jfk, new TranscriptionOptions { Threads = 2 }, progress);

        Assert.NotEmpty(reported);
        Assert.Equal(1.0, reported[^1]);
        Assert.Equal(reported.Order(), reported);
        Assert.All(reported, p => Assert.InRange(p, 0.0, 1.0));
    }

    [Fact]
    public void AlreadyCancelledToken_ThrowsBeforeWork()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            fixture.Model.Transcribe(fixture.Jfk, new TranscriptionOptions(), cancellationToken: cts.Token));
    }

    [Fact]
    public void Cancellation_ReachesNativeCodeAndStopsTheTranscription()
    {
        // 23 s of audio, full window, one thread: seconds of work unless the abort lands. Cancelling from
        // whisper's first progress report (before the first encoder pass) makes the timing deterministic.
        var audio = Wav.ReadMono16k(TestData.Audio("romana.wav"));
        var options = new TranscriptionOptions { Threads = 1, FitAudioContext = false, Language = "en" };
        using var cts = new CancellationTokenSource();
        var sinceCancel = new Stopwatch();
        var progress = new SynchronousProgress(_ =>
        {
            sinceCancel.Start();
            cts.Cancel();
        });

        var error = Assert.ThrowsAny<OperationCanceledException>(() =>
            fixture.Model.Transcribe(audio, options, progress, cts.Token));

        Assert.Equal(cts.Token, error.CancellationToken);
        // whisper.cpp 1.9.1 checks the abort callback between encoder/decoder passes, not inside one, so the
        // first encoder pass (well under a second on an idle machine) still finishes; this bound only catches a hang.
        Assert.True(sinceCancel.Elapsed < TimeSpan.FromSeconds(10), $"abort took {sinceCancel.Elapsed}");
    }

    [Fact]
    public async Task ConcurrentTranscriptionsOnOneModel_BothSucceed()
    {
        var options = new TranscriptionOptions { Threads = 1 };

        var results = await Task.WhenAll(
            Task.Run(() => fixture.Model.Transcribe(fixture.Jfk, options)),
            Task.Run(() => fixture.Model.Transcribe(fixture.Jfk, options)));

        Assert.All(results, r =>
            Assert.True(WordErrorRate.Compute(JfkText, Text(r)) <= 0.10, $"WER too high for: {Text(r)}"));
    }

    [Fact]
    public void UnknownLanguage_ThrowsArgumentError()
    {
        var error = Assert.Throws<WhisperException>(() =>
            fixture.Model.Transcribe(fixture.Jfk, new TranscriptionOptions { Language = "xx-nope" }));

        Assert.Equal(WhisperError.Argument, error.Error);
        Assert.Contains("xx-nope", error.Message);
    }

    [Fact]
    public void DisposedModel_Throws()
    {
        var model = WhisperModel.Load(TestData.Model("for-tests-ggml-tiny.en.bin"));
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Transcribe(new float[16_000], new TranscriptionOptions()));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test needs the values in order, now.</summary>
    internal sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

public sealed class MultilingualTranscriptionTests
{
    [Fact]
    public void BaseModel_Romana_DetectsRomanian()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        var audio = Wav.ReadMono16k(TestData.Audio("romana.wav"));

        var result = model.Transcribe(audio, new TranscriptionOptions { Language = "auto", Threads = 2 });

        Assert.Equal("ro", result.Language);
        Assert.InRange(result.LanguageProbability ?? 0, 0.5, 1.0);
        // The proper names vary with the whisper.cpp version and quantisation; this phrase does not.
        Assert.Contains("golfului", string.Join(" ", result.Segments.Select(s => s.Text)));
    }

    [Fact]
    public void DetectLanguage_BaseModelOnRomanian_SaysRomanianWithItsProbability_TinyEnSaysNothing()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        using var english = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        // A detection looks at the first 5 s of its input; this clip's first seconds sound Bulgarian or Croatian to base
        // (with whisper's full window too), from 15 s on it is plainly Romanian.
        var audio = Wav.ReadMono16k(TestData.Audio("romana.wav")).AsSpan(16_000 * 15);

        var detected = model.DetectLanguage(audio, new TranscriptionOptions { Threads = 2 });

        Assert.Equal("ro", detected?.Language);
        Assert.InRange(detected!.Probability, 0.5, 1.0);
        Assert.Null(english.DetectLanguage(audio, new TranscriptionOptions { Threads = 2 }));
    }

    [Fact]
    public void DetectLanguage_OnAShortWindow_TellsTheLanguageOfAFewSecondsOfSpeech()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        var romanian = Wav.ReadMono16k(TestData.Audio("romana.wav"));
        var english = Wav.ReadMono16k(TestData.Audio("jfk.wav"));
        var options = new TranscriptionOptions { Threads = 2 };

        // Whisper.net's state API reached: a detection encodes about 5 s (256 positions), not whisper's 30 s window.
        Assert.Equal(5.12, model.DetectionSeconds, 2);
        var romanianLine = model.DetectLanguage(romanian.AsSpan(16_000 * 15, 16_000 * 3), options);
        Assert.Equal("ro", romanianLine?.Language);
        Assert.InRange(romanianLine!.Probability, CallTranscriber.MinDetectProbability, 1.0);
        var englishLine = model.DetectLanguage(english.AsSpan(0, 16_000 * 3), options);
        Assert.Equal("en", englishLine?.Language);
        Assert.InRange(englishLine!.Probability, CallTranscriber.MinDetectProbability, 1.0);
        // The states detected on really have the short context (set by a run stopped before it encodes): whisper's full
        // window gives the same line another probability (0.89 against 0.96).
        using var factory = global::Whisper.net.WhisperFactory.FromPath(TestData.Model("ggml-base-q5_1.bin"));
        using var fullWindow = factory.CreateBuilder().WithThreads(2).Build();
        var (_, fullProbability) = fullWindow.DetectLanguageWithProbability(romanian.AsSpan(16_000 * 15, 16_000 * 3));
        Assert.True(Math.Abs(romanianLine.Probability - fullProbability) > 0.02, $"short window {romanianLine.Probability}, full {fullProbability}");
    }

    [Fact]
    public void DetectLanguage_PreparingAShortWindowState_IsStoppedBeforeItEncodes()
    {
        NativeRequirement.Require();
        ShortWindowLanguageDetector? detector = null;
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"),
            factory => detector = ShortWindowLanguageDetector.TryCreate(factory, WhisperModel.DetectionAudioCtx));
        var romanian = Wav.ReadMono16k(TestData.Audio("romana.wav"))[(16_000 * 15)..(16_000 * 18)];
        var options = new TranscriptionOptions { Threads = 2 };

        Assert.Equal("ro", model.DetectLanguage(romanian, options)?.Language);
        Assert.Equal("ro", model.DetectLanguage(romanian, options)?.Language);

        // One state prepared (the second detection reuses it), and whisper asked before encoding and was refused.
        Assert.NotNull(detector);
        Assert.Equal(1, detector.Prepared);
        Assert.Equal(1, detector.Refused);
    }

    [Fact]
    public void DetectLanguage_WhenTheShortWindowFailedToBuild_BuildsItAgainNextTime()
    {
        NativeRequirement.Require();
        var builds = 0;
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"), factory => ++builds == 1
            ? throw new WhisperException(WhisperError.Transcribe, "whisper could not allocate a state for language detection")
            : ShortWindowLanguageDetector.TryCreate(factory, WhisperModel.DetectionAudioCtx));
        var romanian = Wav.ReadMono16k(TestData.Audio("romana.wav"))[(16_000 * 15)..(16_000 * 18)];
        var options = new TranscriptionOptions { Threads = 2 };

        Assert.Throws<WhisperException>(() => model.DetectLanguage(romanian, options));

        // The failure is not kept: the next detection builds the short window and uses it.
        Assert.Equal("ro", model.DetectLanguage(romanian, options)?.Language);
        Assert.Equal(5.12, model.DetectionSeconds, 2);
        Assert.Equal(2, builds);
    }

    [Fact]
    public async Task Dispose_WhileATranscriptionAndDetectionsRun_FreesTheModelOnlyWhenTheyHaveFinished()
    {
        NativeRequirement.Require();
        var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        var audio = Wav.ReadMono16k(TestData.Audio("jfk.wav"));
        var running = new TaskCompletionSource();
        var detected = new TaskCompletionSource();

        // A worker stopping disposes the model while jobs still transcribe and detect on it.
        var transcribing = Task.Run(() => model.Transcribe(audio, new TranscriptionOptions { Language = "en", Threads = 1 },
            new WhisperTranscriptionTests.SynchronousProgress(_ => running.TrySetResult())));
        var detecting = Task.Run(() =>
        {
            var languages = new List<string?>();
            try
            {
                while (true)
                {
                    languages.Add(model.DetectLanguage(audio.AsSpan(0, 16_000 * 3), new TranscriptionOptions { Threads = 1 })?.Language);
                    detected.TrySetResult();
                }
            }
            catch (ObjectDisposedException)
            {
                return languages;
            }
        });
        await Task.WhenAll(running.Task, detected.Task);
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Transcribe(audio, new TranscriptionOptions()));
        var result = await transcribing;
        Assert.True(WordErrorRate.Compute(WhisperTranscriptionTests.JfkText, string.Join(" ", result.Segments.Select(s => s.Text))) <= 0.10);
        Assert.All(await detecting, language => Assert.Equal("en", language));
    }

    [Fact]
    public void BaseModel_FixedLanguage_DoesNotDetect()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        var audio = Wav.ReadMono16k(TestData.Audio("romana.wav"));

        var result = model.Transcribe(audio, new TranscriptionOptions { Language = "ro", Threads = 2 });

        Assert.Equal("ro", result.Language);
        Assert.Null(result.LanguageProbability);
    }
}
