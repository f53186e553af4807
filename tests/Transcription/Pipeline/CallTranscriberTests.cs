using System.Collections.Concurrent;
using CallReview.Tests.Transcription.Whisper;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;
using Microsoft.Extensions.Logging;

namespace CallReview.Tests.Transcription.Pipeline;

/// <summary>The whole per-channel pipeline with real ffmpeg, the Silero VAD and a trained whisper model.</summary>
public sealed class CallTranscriberTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("callreview-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ScriptedStereoCall.Turn[] Script =
    [
        new("agent", 0.8, "Thank you for calling Northwind Energy, this is Sam, how can I help?"),
        new("customer", 6.0, "Hello, my bill this month is twice what it normally is."),
        new("agent", 11.5, "I can see the reading was estimated. I will send you a corrected bill today."),
        new("customer", 19.0, "Thank you, that is a relief."),
    ];

    private static CallTranscriber Transcriber(WhisperModel model, ISpeechDetector speech) =>
        new(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(model, speech), new TranscriptionOptions { Threads = 2 });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Transcribe_StereoCall_GivesAgentAndCustomerTurnsAtTheRightTimesOnTheThreadsItIsGiven(int threads)
    {
        NativeRequirement.Require();
        var path = await ScriptedStereoCall.RenderAsync(_dir, Script, totalSeconds: 24);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var engine = new ThreadCountingEngine(model);

        // Both channels are worked on at once: whisper's runs of either may overlap, but never on more threads than given.
        var transcript = await new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(engine, vad), new TranscriptionOptions { Threads = threads })
            .TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        Assert.InRange(engine.MostThreadsAtOnce, 1, threads);

        Assert.Equal(["agent", "customer", "agent", "customer"], FirstOfEachTurn(transcript).Select(t => t.Speaker));
        var starts = FirstOfEachTurn(transcript).Select(t => t.StartMs / 1000.0).ToList();
        for (var i = 0; i < Script.Length; i++)
            Assert.True(Math.Abs(starts[i] - Script[i].Start) <= 1.5, $"turn {i} starts at {starts[i]:0.00} s, placed at {Script[i].Start} s");
        var customer = string.Join(" ", transcript.Turns.Where(t => t.Speaker == "customer").Select(t => t.Text)).ToLowerInvariant();
        Assert.Contains("month", customer);
        Assert.Contains("twice", customer);
        var agent = string.Join(" ", transcript.Turns.Where(t => t.Speaker == "agent").Select(t => t.Text)).ToLowerInvariant();
        Assert.Contains("corrected", agent);
        Assert.Equal("en", transcript.Language);
    }

    /// <summary>A sample call, per channel with tiny.en on two threads, with its stages counted.</summary>
    private static async Task<(CallTranscriber.Transcript Transcript, TranscriptionStages Stages)> TranscribeSampleWithStagesAsync(string file)
    {
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var stages = new TranscriptionStages();
        var transcript = await new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(model, vad), new TranscriptionOptions { Threads = 2, Stages = stages })
            .TranscribeAsync(Path.Combine(RepoRoot.Path, "samples", "calls", file), 2, ChannelLayout.AgentLeft, "en");
        return (transcript, stages);
    }

    [Fact]
    public async Task Transcribe_InputWhoseTextEndsAFifthOfASecondEarly_IsNeitherEncodedNorTranscribedAgainForTheRest()
    {
        NativeRequirement.Require();
        // tiny.en ends the customer's last input of this sample call 0.23 s before its end (the speech pad): whisper would
        // encode the whole context again for that rest, and write [BLANK_AUDIO] from it; transcribed alone, at whisper's
        // smallest context (512 positions), such a rest gave no text (delivery-delay's 0.32 s one, when packs were 20 s).
        var (transcript, stages) = await TranscribeSampleWithStagesAsync("password-lockout-bad.mp3");

        // Four packs, each one run, each encoded once: no fifth run for the rest.
        Assert.Equal(4, stages.Runs);
        Assert.Equal(stages.Runs, stages.EncoderRuns);
        var customer = string.Join(" ", transcript.Turns.Where(t => t.Speaker == "customer").Select(t => t.Text));
        Assert.EndsWith("I still haven't paid.\"", customer);
    }

    [Fact]
    public async Task Transcribe_InputStoppedInsideItsLastUtterance_ReadsThatUtteranceWholeInOneMoreRunAtMost()
    {
        NativeRequirement.Require();
        // tiny.en has stopped the customer's first 14.7 s input of this sample call inside its last utterance, "I've already
        // restarted the router twice, and the light is flashing red." (26.9–30.6 s of the call): with the context rounded up
        // to 64 positions, 0.66 s of room after the speech (5,504 positions in all, before 1.28 s of room), and again, with
        // 5.9 s of room, when Silero's spans moved by a frame where digital silence is not given to it. Either way the
        // utterance is read again whole from its start: one 512-position run more than the call's 7 inputs at most.
        var (transcript, stages) = await TranscribeSampleWithStagesAsync("broadband-fault-good.mp3");

        Assert.InRange(stages.Runs, 7, 8);
        Assert.Equal(stages.Runs, stages.EncoderRuns);
        Assert.Equal(6144 + 512 * (stages.Runs - 7), stages.Positions);
        var before = Assert.Single(transcript.Turns, t => t.Text.Contains("client call", StringComparison.Ordinal));
        Assert.Equal("customer", before.Speaker);
        // Its sentence ("I work from home and I have a client call at two") is said from 11.8 s; whisper may start the line there.
        Assert.InRange(before.StartMs, 11_500, 13_000);
        var restarted = transcript.Turns.Where(t => t.Speaker == "customer" && t.StartMs is > 26_000 and < 31_000).ToList();
        Assert.InRange(restarted[0].StartMs, 26_700, 27_000);
        Assert.Contains("twice", string.Join(" ", restarted.Select(t => t.Text)), StringComparison.Ordinal);
        Assert.EndsWith("flashing red.", restarted[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_ShortLastUtteranceAloneInItsInput_IsOneLine()
    {
        NativeRequirement.Require();
        // The agent's "Is there anything else?" ends this sample call alone in its input; base-q5_1 wrote it three times.
        var path = Path.Combine(RepoRoot.Path, "samples", "calls", "billing-double-charge.mp3");
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        var agent = transcript.Turns.Where(t => t.Speaker == "agent").Select(t => t.Text).ToList();
        Assert.Single(agent, t => t.Contains("anything else", StringComparison.OrdinalIgnoreCase));
        Assert.All(agent.Zip(agent.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task Transcribe_SentenceWrittenTwiceInOneSegment_IsOneSentence()
    {
        NativeRequirement.Require();
        // tiny.en wrote this sample call's customer closing as "Great, that was easy. Great, that was easy." in one segment.
        var path = Path.Combine(RepoRoot.Path, "samples", "calls", "address-change-moving.mp3");
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        var closing = Assert.Single(transcript.Turns, t => t.Text.Contains("that was easy", StringComparison.OrdinalIgnoreCase));
        // Its punctuation is whisper's ("Great. That was easy." with flash attention).
        Assert.Equal("great that was easy", EnglishWerNormalizer.Normalize(closing.Text));
        Assert.Equal(4, closing.Words?.Count);
    }

    // 0.1 s of speech holds under two letters: each case is past the rate check and reaches the rule it names.
    [Theory]
    [InlineData("No, no.")] // under three words
    [InlineData("Hello? Hello?")]
    [InlineData("I want to. I need to.")] // words differ
    [InlineData("I paid it I paid it")] // the run ends no sentence
    [InlineData("I paid. I paid. I paid it.")]
    [InlineData("Is there anything else? Is there anything")]
    [InlineData("My card number is 4111. My card number is 4111.")] // a number read back is kept for redaction
    [InlineData("It ends four one one one. It ends four one one one.")]
    public void SaidOnce_ShortUnequalOrNumberRepeats_AreKept(string text) =>
        Assert.Equal(text, CallTranscriber.SaidOnce(new TranscribedSegment(0, 3, text), 0.1).Text);

    [Fact]
    public void SaidOnce_RunOfSentencesWrittenThreeTimes_IsWrittenOnce() =>
        Assert.Equal("Okay. Thank you so much.",
            CallTranscriber.SaidOnce(new TranscribedSegment(0, 6, " Okay. Thank you so much. Okay. Thank you so much. Okay. Thank you so much."), 2).Text);

    [Fact]
    public void SaidOnce_LoopTooFastForItsSpeech_KeepsTheFirstCopysWords()
    {
        // address-change-moving's looped closing as tiny.en timed it: 32 letters written for 1.55 s of speech.
        var segment = Timed((9.86, 10.02, " Great,"), (10.02, 10.04, " that"), (10.21, 10.28, " was"), (10.28, 10.46, " easy."),
            (10.61, 10.80, " Great,"), (10.80, 10.95, " that"), (10.95, 11.06, " was"), (11.06, 11.33, " easy."));

        var once = CallTranscriber.SaidOnce(segment, 1.55);

        Assert.Equal(" Great, that was easy.", once.Text);
        Assert.Equal([9.86, 10.02, 10.21, 10.28], once.Words!.Select(w => w.Start));
    }

    [Fact]
    public void SaidOnce_RepeatTheSpeechHeld_IsKeptWithAllItsWords()
    {
        // Said twice as espeak-ng says it (175 words a minute): 1.85 s, 2.05 s with speech detection's padding.
        var segment = Timed((0.1, 0.3, " Can"), (0.3, 0.45, " you"), (0.45, 0.7, " hear"), (0.7, 0.95, " me?"),
            (1.05, 1.25, " Can"), (1.25, 1.4, " you"), (1.4, 1.65, " hear"), (1.65, 1.95, " me?"));

        var kept = CallTranscriber.SaidOnce(segment, 2.05);

        Assert.Equal(" Can you hear me? Can you hear me?", kept.Text);
        Assert.Equal(8, kept.Words!.Count);
    }

    [Fact]
    public void SaidOnce_CardNumberWrittenTwiceTooFast_KeepsBothReadingsWords()
    {
        var segment = Timed((0.1, 0.3, " four"), (0.3, 0.5, " one"), (0.5, 0.7, " one"), (0.7, 0.9, " one."),
            (0.9, 1.1, " four"), (1.1, 1.3, " one"), (1.3, 1.5, " one"), (1.5, 1.7, " one."));

        Assert.Equal(8, CallTranscriber.SaidOnce(segment, 1.2).Words!.Count);
    }

    [Fact]
    public async Task Transcribe_CustomerSayingASentenceTwice_KeepsBoth()
    {
        NativeRequirement.Require();
        // A customer repeating themselves is what a reviewer listens for: not whisper looping, so both stay.
        var path = await ScriptedStereoCall.RenderAsync(_dir,
        [
            new("customer", 0.5, "Can you hear me? Can you hear me?"),
            new("agent", 4.5, "Yes, I can hear you now."),
        ], totalSeconds: 8);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        var customer = transcript.Turns.Where(t => t.Speaker == "customer").ToList();
        Assert.Equal(2, customer.Sum(t => t.Words!.Count(w => w.Text.Contains("hear", StringComparison.OrdinalIgnoreCase))));
    }

    private static TranscribedSegment Timed(params (double Start, double End, string Text)[] words) =>
        new(words[0].Start, words[^1].End, string.Concat(words.Select(w => w.Text)), words.Select(w => new TimedWord(w.Start, w.End, w.Text)).ToList());

    [Fact]
    public async Task Transcribe_TwoTurnsOfOneSpeakerAPauseApart_EachLineStartsOnItsFirstWord()
    {
        NativeRequirement.Require();
        var first = new ScriptedStereoCall.Turn("agent", 0.5, "Thank you for calling Northwind Energy, how can I help?");
        // Under a second between the agent's two turns (the customer's short answer between them is on the other
        // channel): speech this close was once transcribed as one piece and whisper put the second line seconds early.
        var second = 0.5 + await ScriptedStereoCall.SecondsAsync(_dir, first) + 0.6;
        var path = await ScriptedStereoCall.RenderAsync(_dir,
        [
            first,
            new("customer", second - 0.5, "Hi."),
            new("agent", second, "You will receive an email confirmation today."),
        ], totalSeconds: second + 6);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        var agent = transcript.Turns.Where(t => t.Speaker == "agent").ToList();
        var opening = agent.First(t => t.Text.Contains("calling", StringComparison.OrdinalIgnoreCase));
        var confirmation = agent.First(t => t.Text.Contains("email", StringComparison.OrdinalIgnoreCase));
        Assert.True(Math.Abs(opening.StartMs / 1000.0 - 0.5) <= 0.25, $"first line starts at {opening.StartMs} ms, spoken at 500 ms");
        Assert.True(Math.Abs(confirmation.StartMs / 1000.0 - second) <= 0.25,
            $"'{confirmation.Text}' starts at {confirmation.StartMs} ms, spoken at {second * 1000:0} ms");
        Assert.StartsWith("you will", confirmation.Text.ToLowerInvariant());
    }

    /// <summary>
    /// A short first sentence, then a pause of under a second, then the rest of the turn: whisper times the short sentence
    /// across the pause, and its line once started on the speech after the pause, a second late. Each case is a sample call
    /// shifted by a few milliseconds of silence (as <c>benchmark --shifts</c> does), which is where whisper's timing drifted.
    /// </summary>
    [Theory]
    [InlineData("cancellation-retention", 5, "customer", 29.92)] // "Sorry, no." alone in its segment
    [InlineData("faulty-kettle-return", 15, "agent", 13.468)] // "Oh dear." read on into the next sentence
    [InlineData("billing-double-charge", 40, "agent", 13.979)] // "Okay." timed into the pause
    public async Task Transcribe_ShortSentenceBeforeASpeakersPause_StartsItsLineOnItsFirstWord(string call, int shiftMs, string speaker, double spokenAt)
    {
        NativeRequirement.Require();
        var path = Path.Combine(_dir, $"{call}-{shiftMs}ms.wav");
        await ProcessRunner.RunAsync(new FfmpegOptions().FfmpegPath,
            ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", Path.Combine(RepoRoot.Path, "samples", "calls", call + ".mp3"),
             "-af", $"adelay=delays={shiftMs}:all=1", "-c:a", "pcm_f32le", path], TimeSpan.FromMinutes(1));
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        // The turn's first line: the first of the speaker's still going when the turn begins.
        var spoken = spokenAt + shiftMs / 1000.0;
        var line = transcript.Turns.First(t => t.Speaker == speaker && t.EndMs / 1000.0 > spoken);
        Assert.True(Math.Abs(line.StartMs / 1000.0 - spoken) <= 0.25, $"'{line.Text}' starts at {line.StartMs} ms, spoken at {spoken * 1000:0} ms");
    }

    [Fact]
    public async Task Transcribe_ThreeTurnsOfOneSpeaker_ArePackedIntoOneInputAndComeBackAsALineEachOnItsFirstWord()
    {
        NativeRequirement.Require();
        string[] said =
        [
            "Thank you for calling Northwind Energy.",
            "I can see the reading was estimated.",
            "You will receive an email confirmation today.",
        ];
        var turns = new List<ScriptedStereoCall.Turn>();
        var at = 0.7;
        foreach (var text in said)
        {
            var turn = new ScriptedStereoCall.Turn("agent", at, text);
            turns.Add(turn);
            at += await ScriptedStereoCall.SecondsAsync(_dir, turn) + 0.8;
        }
        var path = await ScriptedStereoCall.RenderAsync(_dir, turns, totalSeconds: at + 2);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var stages = new TranscriptionStages();
        var transcriber = new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(model, vad),
            new TranscriptionOptions { Threads = 2, Stages = stages });

        var transcript = await transcriber.TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        // Three turns (speech detection may cut one in two), one input to whisper: the customer's channel is silent.
        Assert.Equal(1, stages.Runs);
        Assert.InRange(stages.Utterances, 3, 6);
        var lines = transcript.Turns.Where(t => t.Speaker == "agent").ToList();
        string[] keys = ["calling", "estimated", "email"];
        string[] firstWords = ["thank you", "i can", "you will"];
        for (var i = 0; i < 3; i++)
        {
            var line = Assert.Single(lines, l => l.Text.Contains(keys[i], StringComparison.OrdinalIgnoreCase));
            Assert.True(Math.Abs(line.StartMs / 1000.0 - turns[i].Start) <= 0.25,
                $"'{line.Text}' starts at {line.StartMs} ms, spoken at {turns[i].Start * 1000:0} ms");
            Assert.StartsWith(firstWords[i], line.Text.ToLowerInvariant());
            Assert.DoesNotContain(keys.Where((_, k) => k != i), other => line.Text.Contains(other, StringComparison.OrdinalIgnoreCase));
        }
        Assert.True(WordErrorRate.Compute(string.Join(" ", said), string.Join(" ", lines.Select(l => l.Text))) <= 0.2,
            string.Join(" | ", lines.Select(l => l.Text)));
    }

    /// <summary>
    /// Real speech (the test data's JFK, the same on both channels): speech detection cuts his long sentences at every
    /// breath, a third to half a second, and whisper reads each packed input as one sentence across those pauses. Once every
    /// utterance was then transcribed again alone (14 runs); now a line reads on across such a pause, each word placed
    /// through the utterance it was said in.
    /// </summary>
    [Fact]
    public async Task Transcribe_RealSpeechPausingMidSentence_IsOneRunAChannelWithEachLineAndWordInPlace()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var stages = new TranscriptionStages();
        var transcriber = new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(model, vad),
            new TranscriptionOptions { Threads = 2, Stages = stages });

        var transcript = await transcriber.TranscribeAsync(TestData.Audio("kennedy-stereo.wav"), 2, ChannelLayout.AgentLeft, "en");

        Assert.Equal(2, stages.Runs);
        var agent = transcript.Turns.Where(t => t.Speaker == "agent").ToList();
        var lines = string.Join(" | ", agent.Select(t => $"{t.StartMs} {t.Text}"));
        Assert.True(WordErrorRate.Compute(
            "I believe that this nation should commit itself to achieving the goal before this decade is out of landing a man on the moon "
            + "and returning him safely to the earth. No single space project in this period will be more impressive to mankind or more "
            + "important for the long-range exploration of space.", string.Join(" ", agent.Select(t => t.Text))) <= 0.05, lines);
        // Silences (ffmpeg's silencedetect at -35 dB) end at 3.31 s ("to achieving"), 5.22 s ("before") and 7.36 s ("of landing").
        var opening = agent.First(t => t.Text.Contains("nation", StringComparison.Ordinal));
        Assert.InRange(opening.StartMs, 0, 400);
        Assert.NotNull(opening.Words);
        var words = string.Join(" ", opening.Words.Select(w => $"{w.Text.Trim()}@{w.Start:0.00}"));
        Assert.True(opening.Words.Single(w => w.Text.Trim() == "achieving").Start is >= 3.1 and <= 3.6, words);
        Assert.True(opening.Words.Single(w => w.Text.Trim() == "before").Start is >= 5.0 and <= 5.5, words);
        var landing = agent.Single(t => t.Text.Contains("landing", StringComparison.Ordinal));
        Assert.True(Math.Abs(landing.StartMs / 1000.0 - 7.36) <= 0.25, lines);
    }

    /// <summary>
    /// Real speech on the customer's channel (JFK's moon speech in two turns, "ask not" between them): tiny.en, reading the
    /// packed input across "ask not"'s pause, looped ("ask not to not be the first to be the first to be the first to"). That
    /// input is transcribed apart, each group of utterances joined by pauses as one, and the turn after a longer silence
    /// keeps its own place.
    /// </summary>
    [Fact]
    public async Task Transcribe_RealSpeechWhisperLoopsOnAcrossAPause_IsTranscribedApartAsSaid()
    {
        NativeRequirement.Require();
        const int rate = AudioDecoder.SampleRate;
        var kennedy = Wav.ReadMono16k(TestData.Audio("kennedy-stereo.wav"));
        float[][] turns = [Wav.Trimmed(kennedy.AsSpan(..(int)(11.9 * rate))), Wav.Trimmed(Wav.ReadMono16k(TestData.Audio("jfk.wav"))), Wav.Trimmed(kennedy.AsSpan((int)(11.9 * rate)..))];
        double[] starts = [8.239, 29.743, 51.635];
        var customer = new float[(int)((starts[^1] + 10.5) * rate)];
        for (var i = 0; i < turns.Length; i++)
            turns[i].CopyTo(customer, (int)(starts[i] * rate));
        var path = Path.Combine(_dir, "real-voices.wav");
        StereoWav.Write(path, new float[customer.Length], customer, rate);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        var lines = transcript.Turns.Where(t => t.Speaker == "customer").ToList();
        var said = string.Join(" | ", lines.Select(t => $"{t.StartMs} {t.Text}"));
        Assert.True(WordErrorRate.Compute(
            "I believe that this nation should commit itself to achieving the goal before this decade is out of landing a man on the moon "
            + "and returning him safely to the earth. And so my fellow Americans ask not what your country can do for you ask what you "
            + "can do for your country. No single space project in this period will be more impressive to mankind or more important "
            + "for the long-range exploration of space.", string.Join(" ", lines.Select(t => t.Text))) <= 0.05, said);
        Assert.DoesNotContain("first", said, StringComparison.OrdinalIgnoreCase);
        for (var i = 0; i < turns.Length; i++)
        {
            var first = lines.First(t => t.StartMs >= (starts[i] - 1) * 1000);
            Assert.True(Math.Abs(first.StartMs / 1000.0 - starts[i]) <= 0.25, $"turn {i} at {starts[i]} s: {said}");
        }
    }

    [Fact]
    public async Task Transcribe_CallThatSwitchesFromEnglishToGerman_GivesEachLineItsOwnLanguage()
    {
        NativeRequirement.Require();
        // faster-whisper's own test file (tests/data/multilingual.mp3, MIT): the MIT licence read in English, then in
        // German. whisper-cli on the whole file keeps English and writes "Thanks for watching." over the German.
        var path = Path.Combine(RepoRoot.Path, "tests", "Transcription", "Pipeline", "multilingual.mp3");
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var stages = new TranscriptionStages();
        var transcriber = new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(model, vad),
            new TranscriptionOptions { Threads = 2, Stages = stages });

        var transcript = await transcriber.TranscribeAsync(path, 1, ChannelLayout.Mono, "auto");

        // Three utterances (English, then two German), each detected on its own short window.
        Assert.Equal(3, stages.Utterances);
        Assert.Equal(3, stages.LanguageDetections);
        var english = transcript.Turns.TakeWhile(t => t.StartMs < 30_000).ToList();
        var german = transcript.Turns.Skip(english.Count).ToList();
        Assert.All(english, t => Assert.Equal("en", t.Language));
        Assert.All(german, t => Assert.Equal("de", t.Language));
        Assert.True(german.Select(t => t.StartMs).Distinct().Count() >= 2);
        var said = string.Join(" ", english.Select(t => t.Text));
        Assert.StartsWith("Permission is hereby granted, free of charge", said);
        Assert.Contains("copyright notice", said);
        var gesagt = string.Join(" ", german.Select(t => t.Text));
        Assert.Contains("Dokumentationsdateien", gesagt);
        Assert.Contains("insbesondere das Recht", gesagt);
        Assert.DoesNotContain("Thanks for watching", gesagt);
        // Slightly more of the call is English (29.4 s of lines against 28.4 s): the call's language, and the German lines are the ones tagged.
        Assert.Equal("en", transcript.Language);
    }

    [Fact]
    public async Task Transcribe_CallInOneLanguage_StopsDetectingOnAChannelOnceItHasSettled()
    {
        NativeRequirement.Require();
        // Each channel of this sample call has four utterances long enough to tell (eight detections before): once two
        // in a row say English surely, a channel is only checked every fourth such utterance.
        var path = Path.Combine(RepoRoot.Path, "samples", "calls", "billing-double-charge.mp3");
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var stages = new TranscriptionStages();
        var engine = new ThreadCountingEngine(model);
        var transcriber = new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(engine, vad),
            new TranscriptionOptions { Threads = 2, Stages = stages });

        var transcript = await transcriber.TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "auto");

        // Detections run beside the other channel's packs, on threads out of the same budget.
        Assert.InRange(engine.MostThreadsAtOnce, 1, 2);
        Assert.All(transcript.Turns, t => Assert.Equal("en", t.Language));
        Assert.Equal(2 * CallTranscriber.SettleAfter, stages.LanguageDetections);
        var agent = string.Join(" ", transcript.Turns.Where(t => t.Speaker == "agent").Select(t => t.Text));
        Assert.Contains("anything else", agent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Transcribe_ChannelWithNoTrustedDetection_DetectsNoUtteranceTwice()
    {
        NativeRequirement.Require();
        // ro-internet-outage (synthetic Romanian voices): base is less than 0.7 sure of every utterance on one channel, so
        // that channel goes by its longest utterance's detection however unsure; that utterance was detected already.
        var path = Path.Combine(RepoRoot.Path, "samples", "calls", "ro-internet-outage.mp3");
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var stages = new TranscriptionStages();
        var engine = new DetectionRecordingEngine(model);
        var transcriber = new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(engine, vad),
            new TranscriptionOptions { Threads = 2, Stages = stages });

        var transcript = await transcriber.TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "auto");

        // Whatever base makes of the voices (Latin, or Japanese with flash attention), each channel goes by one language.
        Assert.All(transcript.Turns.GroupBy(t => t.Channel), channel => Assert.Single(channel.Select(t => t.Language).Distinct()));
        Assert.Equal(stages.LanguageDetections, engine.Detected.Count);
        Assert.Equal(engine.Detected.Count, engine.Detected.Distinct().Count());
    }

    [Fact]
    public async Task Transcribe_WhenLanguageDetectionFails_FallsBackToWhispersOwnDetectionAndWarns()
    {
        NativeRequirement.Require();
        // The short-window detector cannot be built (a native failure): the job goes on, each pack's language is the one
        // whisper detects as it transcribes it, and the failure is logged once.
        var path = Path.Combine(RepoRoot.Path, "tests", "Transcription", "Pipeline", "multilingual.mp3");
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"),
            _ => throw new WhisperException(WhisperError.Transcribe, "whisper could not allocate a state for language detection"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var log = new WarningLog();
        var transcriber = new CallTranscriber(new AudioDecoder(new FfmpegOptions()), TranscriptionModels.Loaded(model, vad), new TranscriptionOptions { Threads = 2 },
            logger: log);

        var transcript = await transcriber.TranscribeAsync(path, 1, ChannelLayout.Mono, "auto");

        var warning = Assert.Single(log.Warnings);
        Assert.Contains("Language detection failed", warning);
        var english = transcript.Turns.TakeWhile(t => t.StartMs < 30_000).ToList();
        var german = transcript.Turns.Skip(english.Count).ToList();
        Assert.NotEmpty(english);
        Assert.NotEmpty(german);
        Assert.All(english, t => Assert.Equal("en", t.Language));
        Assert.All(german, t => Assert.Equal("de", t.Language));
        Assert.Contains("Dokumentationsdateien", string.Join(" ", german.Select(t => t.Text)));
    }

    [Fact]
    public void Pack_FillsInputsEvenlyWithinTheLongest()
    {
        // Ten utterances of 3 s: 34.5 s with the silences between them packed, so two inputs of five.
        var spans = Enumerable.Range(0, 10).Select(i => new SpeechSpan(5 * i, 5 * i + 3)).ToList();

        var packs = CallTranscriber.Pack(spans, maxSeconds: 20);

        Assert.Equal([5, 5], packs.Select(p => p.Count));
        Assert.Equal(spans, packs.SelectMany(p => p));
        // An utterance longer than the most goes alone.
        Assert.Equal([1, 1], CallTranscriber.Pack([new SpeechSpan(0, 25), new SpeechSpan(26, 29)], maxSeconds: 20).Select(p => p.Count));
    }

    [Fact]
    public void Pack_ThreeInputsHoldIt_NotRoundedUpToFour()
    {
        // Twelve utterances of 3 s: 41.5 s packed, which three inputs hold. Rounded up to a multiple of two workers it was
        // four of 10 s (address-change-moving's agent, 41.7 s, packed for four: 64 positions more than for three).
        var spans = Enumerable.Range(0, 12).Select(i => new SpeechSpan(4 * i, 4 * i + 3)).ToList();

        var packs = CallTranscriber.Pack(spans, maxSeconds: 20);

        Assert.Equal([4, 4, 4], packs.Select(p => p.Count));
        Assert.Equal(spans, packs.SelectMany(p => p));
    }

    [Fact]
    public void Pack_ShortLastUtteranceLeftOver_JoinsThePackBeforeIt()
    {
        // billing-double-charge's customer: the closing 2.2 s did not fit the second pack's 20 s, and alone it cost 512
        // encoder positions (10 s) where joined it costs 128.
        SpeechSpan[] spans = [new(4.4, 13.5), new(17.4, 24.8), new(30.1, 35.9), new(43.9, 50.1), new(55.6, 60.1), new(64.1, 66.3)];

        var packs = CallTranscriber.Pack(spans, maxSeconds: 20);

        Assert.Equal([2, 4], packs.Select(p => p.Count));
        Assert.Equal(spans, packs.SelectMany(p => p));
    }

    [Fact]
    public async Task Transcribe_AgentRightLayout_SwapsTheSpeakers()
    {
        NativeRequirement.Require();
        var path = await ScriptedStereoCall.RenderAsync(_dir, Script[..2], totalSeconds: 11);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));

        var transcript = await Transcriber(model, new EnergySpeechDetector()).TranscribeAsync(path, 2, ChannelLayout.AgentRight, "en");

        var first = transcript.Turns.OrderBy(t => t.StartMs).First();
        Assert.Equal("customer", first.Speaker);
        Assert.Contains("calling", first.Text.ToLowerInvariant());
    }

    [Fact]
    public async Task Transcribe_MonoFile_IsOneTrackWithTheKnownSentence()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));

        var transcript = await Transcriber(model, vad).TranscribeAsync(TestData.Audio("jfk.mp3"), 1, ChannelLayout.AgentLeft, "auto");

        Assert.All(transcript.Turns, t => Assert.Equal("speaker", t.Speaker));
        var text = string.Join(" ", transcript.Turns.Select(t => t.Text));
        Assert.True(WordErrorRate.Compute("And so my fellow Americans ask not what your country can do for you, ask what you can do for your country.", text) <= 0.10, text);
    }

    [Fact]
    public async Task Transcribe_ThreeChannelFile_MixesToOneTrackWithText()
    {
        NativeRequirement.Require();
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));

        var transcript = await Transcriber(model, new EnergySpeechDetector()).TranscribeAsync(TestData.Audio("multichannel-3ch.wav"), 3, ChannelLayout.AgentLeft, "en");

        Assert.NotEmpty(transcript.Turns);
        Assert.All(transcript.Turns, t => Assert.Equal("speaker", t.Speaker));
    }

    [Fact]
    public void Join_MergesShortPausesButNeverPastTheWindow()
    {
        var spans = new SpeechSpan[] { new(0, 5), new(5.5, 10), new(12, 20), new(20.2, 41) };

        var joined = CallTranscriber.Join(spans, gapSeconds: 1.0, maxSeconds: 28);

        Assert.Equal([new SpeechSpan(0, 10), new SpeechSpan(12, 20), new SpeechSpan(20.2, 41)], joined);
    }

    /// <summary>The real engine, recording what each language detection was given (its length and a checksum of its samples).</summary>
    private sealed class DetectionRecordingEngine(ITranscriptionEngine inner) : ITranscriptionEngine
    {
        public ConcurrentQueue<(int Length, double Sum)> Detected { get; } = new();

        public TranscriptionResult Transcribe(ReadOnlyMemory<float> samples16kMono, TranscriptionOptions options, IProgress<double>? progress = null,
            CancellationToken cancellationToken = default) => inner.Transcribe(samples16kMono, options, progress, cancellationToken);

        public DetectedLanguage? DetectLanguage(ReadOnlySpan<float> samples16kMono, TranscriptionOptions options, CancellationToken cancellationToken = default)
        {
            var sum = 0.0;
            foreach (var sample in samples16kMono)
                sum += Math.Abs(sample);
            Detected.Enqueue((samples16kMono.Length, sum));
            return inner.DetectLanguage(samples16kMono, options, cancellationToken);
        }
    }

    /// <summary>The real engine, counting the whisper threads its runs and language detections hold at once.</summary>
    private sealed class ThreadCountingEngine(ITranscriptionEngine inner) : ITranscriptionEngine
    {
        private int _threads;
        private int _most;

        public int MostThreadsAtOnce => Volatile.Read(ref _most);

        public TranscriptionResult Transcribe(ReadOnlyMemory<float> samples16kMono, TranscriptionOptions options, IProgress<double>? progress = null,
            CancellationToken cancellationToken = default)
        {
            InterlockedMax(Interlocked.Add(ref _threads, options.Threads));
            try
            {
                return inner.Transcribe(samples16kMono, options, progress, cancellationToken);
            }
            finally
            {
                Interlocked.Add(ref _threads, -options.Threads);
            }
        }

        public DetectedLanguage? DetectLanguage(ReadOnlySpan<float> samples16kMono, TranscriptionOptions options, CancellationToken cancellationToken = default)
        {
            InterlockedMax(Interlocked.Add(ref _threads, options.Threads));
            try
            {
                return inner.DetectLanguage(samples16kMono, options, cancellationToken);
            }
            finally
            {
                Interlocked.Add(ref _threads, -options.Threads);
            }
        }

        private void InterlockedMax(int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, value, seen) != seen)
            {
            }
        }
    }

    /// <summary>The warnings a transcription logs.</summary>
    private sealed class WarningLog : ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
                Warnings.Enqueue(formatter(state, exception));
        }
    }

    private static List<CallReview.Transcription.Jobs.TranscriptTurn> FirstOfEachTurn(CallTranscriber.Transcript transcript)
    {
        // A speaker's consecutive segments are one turn; keep where each turn begins.
        var turns = new List<CallReview.Transcription.Jobs.TranscriptTurn>();
        foreach (var t in transcript.Turns.OrderBy(t => t.StartMs))
        {
            if (turns.Count == 0 || turns[^1].Speaker != t.Speaker)
                turns.Add(t);
        }
        return turns;
    }
}
