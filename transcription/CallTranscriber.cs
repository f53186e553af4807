using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Redaction;
using CallReview.Transcription.Whisper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallReview.Transcription;

/// <summary>
/// Turns a recording into speaker-labelled turns on the call's clock. Each channel (agent, customer) is
/// decoded to 16 kHz mono and cut into utterances by speech detection; consecutive utterances share one
/// whisper input (packed with short silences between them, which costs the encoder far less than an input
/// each), and each utterance's lines are placed at its real offset: whisper's own timestamps drift by seconds
/// across long silences, and turn starts are what reviewers pin. A mono (or 3+ channel) recording becomes one
/// mixed track.
/// Audio is streamed through a window of a few minutes, so memory stays the same however long the call;
/// decoding stops at <paramref name="maxDurationSeconds"/> whatever the file's header claimed.
/// </summary>
public sealed class CallTranscriber(AudioDecoder decoder, TranscriptionModels models, TranscriptionOptions baseOptions,
    double maxDurationSeconds = double.MaxValue, ILogger? logger = null)
{
    /// <summary>
    /// On a mixed track, speech with pauses shorter than this is transcribed together: both voices share the track, so
    /// a pause there often falls inside a turn. A speaker's own channel is never joined: each stretch of speech is
    /// transcribed alone and its first line starts where the speech does, while inside a joined stretch whisper's own
    /// timestamps drift by seconds across the pause (a second sentence shown 2.8 s before it was said).
    /// </summary>
    private const double JoinGapSeconds = 1.0;
    /// <summary>Whisper's window is 30 s; joined utterances stay inside it.</summary>
    private const double MaxJoinedSeconds = 28;
    /// <summary>Speech is detected and transcribed five minutes at a time (19 MB of samples), never a whole channel.</summary>
    public const double WindowSeconds = 300;
    /// <summary>
    /// An utterance ending this close to the window's end may go on (or join speech) past it: it is carried into the next
    /// window, up to this much audio — more than any utterance (detectors split speech at 30 s).
    /// </summary>
    private const double BoundaryGuardSeconds = 2 * JoinGapSeconds;
    private const double MaxCarrySeconds = 60;
    /// <summary>
    /// Utterances are packed into one encoder input up to this long: whisper's encoder costs by the positions it is
    /// given, at least 512 (about 10 s) per input, so many short utterances alone cost far more than their audio; but its
    /// attention grows with the square of the positions, so shorter packs cost less for the same speech. Measured on the
    /// nine English sample calls against 20 s: 4 % less CPU and 221 word errors against 226 (14 s put a turn start 1.1 s
    /// off; 18 s made 229 errors; 12 s or less leaves utterances alone at the 512 floor).
    /// </summary>
    private const double MaxPackSeconds = 16;
    /// <summary>Silence between packed utterances: a pause whisper ends a segment at, and where the engine cuts lines apart.</summary>
    private const double PackGapSeconds = 0.5;
    /// <summary>Packs are not made shorter than whisper's smallest encoder context (512 positions) holds anyway.</summary>
    private const double MinPackSeconds = 10;
    /// <summary>The shortest run of words whose repeats in one segment are taken for whisper looping (see <c>SaidOnce</c>).</summary>
    private const int MinLoopWords = 3;
    /// <summary>
    /// Faster than anyone speaks, in letters (words vary too much in length: espeak-ng says "Can you hear me?" twice at 4.3
    /// words a second): an utterance with more letters written for it than this holds was looped on. address-change-moving's
    /// looped closing is 32 letters from 1.55 s of speech (20.6 a second); espeak-ng, at 175 words a minute, says "Can you
    /// hear me? Can you hear me?" at 12.7 a second with the 0.2 s of padding speech detection adds.
    /// </summary>
    private const double MaxLettersPerSecond = 18;
    /// <summary>
    /// With "auto", utterances at least this long have their language detected; shorter ones take their neighbours'.
    /// Under it too little is said to tell: on a sample call's synthetic English agent, utterances of 1.5–2.2 s
    /// ("They deal with emails in order.") came out Japanese and were transcribed so.
    /// </summary>
    public const double MinDetectSeconds = 3;
    /// <summary>A detection less sure than this is not trusted: the utterance takes its neighbours' language.</summary>
    public const double MinDetectProbability = 0.7;
    /// <summary>
    /// A track whose last <see cref="SettleAfter"/> detections all said one language this sure is settled in it: a
    /// detection costs about a quarter of a pack's encoder, and most calls keep their language on a channel.
    /// </summary>
    public const double SureProbability = 0.9;
    public const int SettleAfter = 2;
    /// <summary>
    /// On a settled track only every this many utterances long enough to tell is detected, as a check; one that finds
    /// another language unsettles the track, and the utterances passed over since the track's previous detection in this
    /// window are detected too, so a switch is placed where it happened.
    /// </summary>
    public const int CheckEvery = 4;

    private readonly AudioDecoder _decoder = decoder;
    private readonly TranscriptionModels _models = models;
    private readonly TranscriptionOptions _baseOptions = baseOptions;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public static class Speakers
    {
        public const string Agent = "agent";
        public const string Customer = "customer";
        public const string Mixed = "speaker";
    }

    public sealed record Transcript(string? Language, IReadOnlyList<TranscriptTurn> Turns);

    /// <summary>Probes the file first (an ffprobe run); a caller that has its <see cref="AudioInfo"/> already passes it instead.</summary>
    public async Task<Transcript> TranscribeAsync(string path, int channels, ChannelLayout layout, string language,
        IProgress<double>? progress = null, CancellationToken ct = default) =>
        await TranscribeAsync(path, await _decoder.ProbeAsync(path, ct) with { Channels = channels }, layout, language, progress, ct);

    /// <summary>
    /// <paramref name="info"/> is what was probed when the recording came in (its channels and duration): probing again costs
    /// an ffprobe run before decoding can start, about 70 ms of a one-minute call's two seconds on an idle machine.
    /// </summary>
    public async Task<Transcript> TranscribeAsync(string path, AudioInfo info, ChannelLayout layout, string language,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var tracks = Tracks(info.Channels, layout);
        var call = new Call(this, tracks, tracks.Count == 1 ? 1 : info.Channels, language, info.DurationSeconds, progress, ct);
        var streaming = Stopwatch.GetTimestamp();
        call.DecodeBegan = TranscriptionTimeline.Now();
        // A stereo file is decoded once for both channels, and their windows fill together: the channels' speech detection
        // and packs then share one set of workers. The models may still be loading meanwhile: a call longer than a window
        // waits for the speech detector at its first window and for whisper at its first pack, and a load that fails fails
        // the window, which stops ffmpeg; a shorter call is decoded to its end and then throws the load's error. A worker's
        // decoder may have an ffmpeg for it started already (see AudioDecoder.PrepareNext).
        if (call.Tracks.Count == 1)
            await _decoder.StreamAsync(path, info, null, maxDurationSeconds, call.Add, ct);
        else
            await _decoder.StreamChannelsAsync(path, info, maxDurationSeconds, call.Add, ct);
        // Waiting is clock time only: no CPU of ours.
        _baseOptions.Stages?.Add(TranscriptionStages.Stage.Decode, new TranscriptionStages.Mark(Stopwatch.GetElapsedTime(streaming) - call.Busy, TimeSpan.Zero));
        // No core of its own: this thread waits for the samples, and the speech detection and packs it runs meanwhile are spans of their own.
        _baseOptions.Timeline?.Add("ffmpeg decoding, its samples read as they come", call.FirstSamples ?? call.DecodeBegan, cores: 0);
        call.Finish();
        // A call with no speech never needed whisper: a load that failed is still this call's error.
        await _models.Loading.WaitAsync(ct);
        // Decoding ended and Finish waited for its workers: nothing writes or reads the windows any more. A call that failed
        // leaves its windows to the garbage collector: its pipe reader may not have stopped yet.
        foreach (var track in call.Tracks)
            track.Release();
        var turns = call.Tracks.SelectMany(t => t.Turns).ToList();
        turns.Sort((a, b) => a.StartMs != b.StartMs ? a.StartMs.CompareTo(b.StartMs) : a.Channel.CompareTo(b.Channel));
        progress?.Report(1);
        return new Transcript(MainLanguage(turns) ?? (language == "auto" ? null : language), turns);
    }

    /// <summary>The call's language: the one most of its speech is in (a line shows its own only where it differs).</summary>
    public static string? MainLanguage(IEnumerable<TranscriptTurn> turns) =>
        turns.Where(t => t.Language is not null).GroupBy(t => t.Language)
            .Select(g => (Language: g.Key, Ms: g.Sum(t => t.EndMs - t.StartMs)))
            .OrderByDescending(g => g.Ms).ThenBy(g => g.Language, StringComparer.Ordinal)
            .FirstOrDefault().Language;

    /// <summary>Which decoded tracks a layout gives: (channel or null for the mix, speaker label).</summary>
    public static IReadOnlyList<(int? Channel, string Speaker)> Tracks(int channels, ChannelLayout layout) =>
        ChannelLayouts.Roles(channels, layout) is { IsMixed: false } roles
            ? [(roles.AgentChannel, Speakers.Agent), (roles.CustomerChannel, Speakers.Customer)]
            : [(null, Speakers.Mixed)];

    /// <summary>
    /// One call's transcription as its samples arrive: each track's window is cut into utterances, the finished ones are
    /// transcribed, and the tail that may still be speaking is carried into the next window. All tracks are worked on
    /// together, by as many workers as <see cref="TranscriptionOptions.Threads"/>.
    /// </summary>
    private sealed class Call(CallTranscriber owner, IReadOnlyList<(int? Channel, string Speaker)> tracks, int width, string language,
        double durationSeconds, IProgress<double>? progress, CancellationToken ct)
    {
        public IReadOnlyList<Track> Tracks { get; } = tracks.Select(t => new Track(t.Channel ?? 0, t.Speaker)).ToList();

        /// <summary>Time spent transcribing while samples arrived: the rest of the stream's time was waiting for ffmpeg.</summary>
        public TimeSpan Busy { get; private set; }

        /// <summary>
        /// With "auto" the language is detected per utterance (a call can switch); an utterance too short or unclear to tell
        /// takes its neighbours', and a window with none clear takes the language its track (else the call) went on in.
        /// False once the engine says it knows one language only (an English-only model), or a detection failed: then
        /// nothing more is detected in this call.
        /// </summary>
        private volatile bool _detects = language == "auto";
        /// <summary>
        /// The language most of the call's speech was in up to the current window (at first the set one, if any). Fixed
        /// while a window's tracks are worked on side by side, so a track's fallback never depends on which finished first.
        /// </summary>
        private string? _callLanguage = language == "auto" ? null : language;

        private readonly Lock _progressLock = new();
        private double _reported;

        /// <summary>The speech detector, once loaded: a long call fills its first window while it may still be loading.</summary>
        private ISpeechDetector _speech = null!;

        /// <summary>
        /// The whisper model, waited for where it is first needed: Silero loads in milliseconds and whisper in about 0.17 s, so
        /// a short call's speech is detected while whisper still loads.
        /// </summary>
        private ITranscriptionEngine Engine() => Loaded(owner._models.Engine, "the whisper model");

        /// <summary>
        /// A model once its load has ended (its error, if it failed). Cancelling stops the wait, not the load: disposing the
        /// models waits for it and frees them.
        /// </summary>
        private T Loaded<T>(Task<T> loading, string what)
        {
            var waiting = loading.IsCompleted ? (TimeSpan?)null : TranscriptionTimeline.Now();
            var loaded = loading.WaitAsync(ct).GetAwaiter().GetResult();
            if (waiting is { } since)
                owner._baseOptions.Timeline?.Add($"waiting for {what} to load", since, cores: 0);
            return loaded;
        }

        /// <summary>When ffmpeg was started, and when its first samples came (for <see cref="TranscriptionOptions.Timeline"/>).</summary>
        public TimeSpan DecodeBegan { get; set; }
        public TimeSpan? FirstSamples { get; private set; }

        /// <summary>Samples of the one track, or frames of <c>width</c> channels interleaved when there are several tracks.</summary>
        public void Add(ReadOnlySpan<float> samples)
        {
            if (FirstSamples is null)
            {
                FirstSamples = TranscriptionTimeline.Now();
                owner._baseOptions.Timeline?.Add("ffmpeg, until its first samples (started then, or before the call)", DecodeBegan, end: FirstSamples);
            }
            while (samples.Length > 0)
            {
                var take = Math.Min(samples.Length / width, Tracks.Min(t => t.Free));
                foreach (var track in Tracks)
                    track.Append(samples[..(take * width)], width);
                samples = samples[(take * width)..];
                if (Tracks.Any(t => t.Free == 0))
                {
                    var started = Stopwatch.GetTimestamp();
                    Transcribe(final: false);
                    Busy += Stopwatch.GetElapsedTime(started);
                }
            }
        }

        public void Finish() => Transcribe(final: true);

        /// <summary>
        /// Every track's window: speech detection, then its utterances in packs, one pack per worker (one thread each: whisper's
        /// small encoder contexts gain little from a second thread, and threads waiting on each other's barriers lose much
        /// more when the machine is busy). A track's packs start while the next track's speech is still being detected,
        /// longest first so none is left alone at the end; a pack left alone takes every thread.
        /// </summary>
        private void Transcribe(bool final)
        {
            var options = owner._baseOptions;
            // The first window (a long call's) or the end of decoding (a short one's) waits while the speech detector still
            // loads, and the first pack or language detection while whisper does (see Engine).
            _speech = Loaded(owner._models.Speech, "the speech detector");
            var threads = Math.Max(1, options.Threads);
            var gate = new object();
            var detect = new Queue<Track>(Tracks);
            var ready = new List<(Track Track, Input Pack)>();
            // Threads no task holds: whisper's runs and language detections never hold more than Threads between them.
            int free = threads, detecting = 0, running = 0;
            ExceptionDispatchInfo? failure = null;

            // Language detection takes the threads nobody else can use (no task waits for them), a pass at a time.
            int Borrow()
            {
                lock (gate)
                {
                    if (detect.Count > 0 || ready.Count > 0)
                        return 0;
                    var spare = free;
                    free = 0;
                    return spare;
                }
            }
            void GiveBack(int spare)
            {
                if (spare == 0)
                    return;
                lock (gate)
                {
                    free += spare;
                    Monitor.PulseAll(gate);
                }
            }

            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                while (true)
                {
                    Track? toDetect = null;
                    (Track Track, Input Pack)? next = null;
                    var held = 1;
                    var idle = false;
                    lock (gate)
                    {
                        while (toDetect is null && next is null && !idle)
                        {
                            if (failure is not null || (detect.Count == 0 && ready.Count == 0 && detecting == 0))
                                idle = true;
                            else if (free == 0)
                                Monitor.Wait(gate);
                            else if (detect.TryDequeue(out toDetect))
                                detecting++;
                            else if (ready.Count > 0)
                            {
                                var longest = ready.MaxBy(p => PackedSeconds(p.Pack.Utterances));
                                ready.Remove(longest);
                                next = longest;
                                running++;
                                if (detecting == 0 && ready.Count == 0 && running == 1)
                                    held = free;
                            }
                            else
                                Monitor.Wait(gate);
                        }
                        if (!idle)
                            free -= held;
                    }
                    if (idle)
                    {
                        // The first thread with nothing left of a call whose channels were decoded together starts the
                        // next call's ffmpeg on this core, which would otherwise wait for the last packs.
                        if (final && failure is null && width > 1)
                            owner._decoder.PrepareNext(width);
                        return;
                    }
                    try
                    {
                        ct.ThrowIfCancellationRequested();
                        if (toDetect is not null)
                        {
                            var packs = Detect(toDetect, final, Borrow, GiveBack);
                            lock (gate)
                            {
                                ready.AddRange(packs.Select(p => (toDetect, p)));
                                detecting--;
                            }
                        }
                        else
                        {
                            var (track, pack) = next!.Value;
                            var packing = TranscriptionTimeline.Now();
                            var turns = track.Transcribe(pack.Utterances, Engine(), options with { Language = pack.Language, Threads = held }, ct);
                            options.Timeline?.Add(FormattableString.Invariant(
                                $"pack of {track.Speaker}: {pack.Utterances.Count} utterances, {PackedSeconds(pack.Utterances):0.0} s"), packing, held);
                            lock (gate)
                            {
                                track.Turns.AddRange(turns);
                                running--;
                            }
                            ReportProgress(track, pack.Utterances[^1].End);
                        }
                    }
                    catch (Exception e)
                    {
                        lock (gate)
                            failure ??= ExceptionDispatchInfo.Capture(e);
                    }
                    finally
                    {
                        GiveBack(held);
                    }
                }
            });
            failure?.Throw();
            foreach (var track in Tracks)
            {
                track.Shift();
                ReportProgress(track, 0);
            }
            _callLanguage = MainLanguage(Tracks.SelectMany(t => t.Turns)) ?? _callLanguage;
        }

        /// <summary>
        /// A track's finished utterances, in packs for the workers, each pack of one language (whisper is told it, or left to
        /// detect it itself when nothing else tells). Runs on this worker's one thread, and on any spare ones
        /// <paramref name="borrow"/> lends it for a language detection.
        /// </summary>
        private List<Input> Detect(Track track, bool final, Func<int> borrow, Action<int> giveBack)
        {
            var options = owner._baseOptions;
            var detecting = TranscriptionStages.Now();
            var done = track.FindUtterances(_speech, final, ct);
            options.Stages?.AddSince(TranscriptionStages.Stage.SpeechDetection, detecting);
            options.Timeline?.Add($"detecting speech of {track.Speaker}", detecting.Clock);
            options.Stages?.CountUtterances(done.Count);
            if (done.Count == 0)
                return [];
            var languages = LanguagesOf(track, done, borrow, giveBack);
            if (languages[^1] != "auto")
                track.Last = languages[^1];
            return done.Select((u, i) => (Utterance: u, Language: languages[i])).GroupBy(u => u.Language)
                .SelectMany(g => Pack(g.Select(u => u.Utterance).ToList(), MaxPackSeconds).Select(p => new Input(p, g.Key)))
                .ToList();
        }

        /// <summary>
        /// Each utterance's language. A set language is every utterance's. With "auto" each utterance of at least
        /// <see cref="MinDetectSeconds"/> is detected on its first seconds (on a settled track only every
        /// <see cref="CheckEvery"/>th, see <see cref="Track.Observe"/>) and kept when whisper is at least
        /// <see cref="MinDetectProbability"/> sure; every other takes the nearest kept one's in this window (the earlier
        /// when both are as near), else the language the track (else the call, up to this window) went on in, else the
        /// longest utterance's, however unsure; where nothing tells (detection failed), "auto": whisper detects each pack's
        /// language as it transcribes it.
        /// </summary>
        private string[] LanguagesOf(Track track, List<SpeechSpan> done, Func<int> borrow, Action<int> giveBack)
        {
            var found = new string?[done.Count];
            var detections = new DetectedLanguage?[done.Count];
            // Utterances long enough to tell that a settled track passed over since its last detection in this window.
            var passed = new List<int>();
            for (var i = 0; i < done.Count && _detects; i++)
            {
                if (done[i].Duration < MinDetectSeconds)
                    continue;
                if (track.Settled is not null && passed.Count < CheckEvery - 1)
                {
                    passed.Add(i);
                    continue;
                }
                var settled = track.Settled;
                if (DetectLanguage(track, done[i], borrow, giveBack) is not { } detected)
                    break;
                detections[i] = detected;
                if (detected.Probability >= MinDetectProbability)
                    found[i] = detected.Language;
                track.Observe(detected);
                if (settled is not null && found[i] is { } other && other != settled)
                {
                    foreach (var j in passed)
                    {
                        if (DetectLanguage(track, done[j], borrow, giveBack) is { Probability: >= MinDetectProbability } earlier)
                            found[j] = earlier.Language;
                    }
                }
                passed.Clear();
            }
            var fallback = track.Last ?? _callLanguage;
            if (fallback is null && found.All(f => f is null))
            {
                // Detected already where it was long enough to tell (and detection had not stopped): not detected again.
                var longest = Enumerable.Range(0, done.Count).MaxBy(i => done[i].Duration);
                fallback = (detections[longest] ?? DetectLanguage(track, done[longest], borrow, giveBack))?.Language;
            }
            fallback ??= "auto";
            var languages = new string[done.Count];
            for (var i = 0; i < done.Count; i++)
            {
                languages[i] = found[i] ?? Enumerable.Range(0, done.Count).Where(j => found[j] is not null)
                    .OrderBy(j => Math.Abs(Middle(done[j]) - Middle(done[i]))).ThenBy(j => j)
                    .Select(j => found[j]).FirstOrDefault() ?? fallback!;
            }
            return languages;

            static double Middle(SpeechSpan span) => (span.Start + span.End) / 2;
        }

        /// <summary>
        /// One utterance's language, on this worker's thread and any spare ones; null once nothing more is detected in this
        /// call: the engine knows one language only, or a detection failed (a warning is logged, and the utterances go by
        /// their neighbours, their track, the call, or whisper's own detection as it transcribes).
        /// </summary>
        private DetectedLanguage? DetectLanguage(Track track, SpeechSpan utterance, Func<int> borrow, Action<int> giveBack)
        {
            if (!_detects)
                return null;
            var engine = Engine();
            var spare = borrow();
            var identifying = TranscriptionTimeline.Now();
            try
            {
                var detected = engine.DetectLanguage(track.Samples(utterance), owner._baseOptions with { Threads = 1 + spare }, ct);
                if (detected is null)
                    _detects = false;
                else
                    owner._baseOptions.Timeline?.Add($"identifying the language of {track.Speaker}", identifying, 1 + spare);
                return detected;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _detects = false;
                owner._logger.LogWarning(e,
                    "Language detection failed on the {Speaker} track at {Seconds:0.0} s; this call's utterances take their neighbours' language (or their track's, the call's, or whisper's own as it transcribes)",
                    track.Speaker, track.OffsetSeconds + utterance.Start);
                return null;
            }
            finally
            {
                giveBack(spare);
            }
        }

        /// <summary>
        /// Packs finish out of order on several threads, track by track; progress is their average and only moves forward.
        /// <paramref name="until"/> is in seconds from the track's window start.
        /// </summary>
        private void ReportProgress(Track track, double until)
        {
            if (progress is null || durationSeconds <= 0)
                return;
            lock (_progressLock)
            {
                track.Reached = Math.Max(track.Reached, Math.Min(1, (track.OffsetSeconds + until) / durationSeconds));
                var value = Tracks.Average(t => t.Reached);
                if (value <= _reported)
                    return;
                _reported = value;
                progress.Report(value);
            }
        }
    }

    /// <summary>Utterances transcribed as one input, all in one language.</summary>
    private sealed record Input(IReadOnlyList<SpeechSpan> Utterances, string Language);

    /// <summary>One speaker's (or the mix's) samples in a window of a few minutes, and the lines found in them.</summary>
    private sealed class Track(int channel, string speaker)
    {
        private const int Rate = AudioDecoder.SampleRate;
        private const int Capacity = (int)((WindowSeconds + MaxCarrySeconds) * Rate);
        /// <summary>
        /// Taken when the first samples come, not before ffmpeg is started: 23 MB a track, which took up to 0.2 s of a pass's
        /// start while the models loaded beside it (the benchmark's timeline). Taken from the shared pool and given back when
        /// the call has ended well (<see cref="Release"/>): a new array per call cost a worker about 3,500 page faults a one-minute call
        /// (8 µs each on this project's machine) and 46 MB of large-object garbage; a pooled one is already in memory.
        /// </summary>
        private float[] _window = [];
        private int _count;
        /// <summary>Where <see cref="_window"/> starts on the call's clock, in samples.</summary>
        private long _offset;
        /// <summary>Where, in seconds from the window's start, the next window begins: the tail that may still be speaking.</summary>
        private double _keepFrom;

        public int Channel => channel;

        public string Speaker => speaker;

        public List<TranscriptTurn> Turns { get; } = [];

        public int Free => Capacity - _count;

        public double OffsetSeconds => _offset / (double)Rate;

        /// <summary>The language of the track's latest utterance: what a window with no clear detection goes on in.</summary>
        public string? Last { get; set; }

        /// <summary>The language this track's recent detections all said surely (<see cref="SettleAfter"/> of them), else null.</summary>
        public string? Settled { get; private set; }

        private string? _sureLanguage;
        private int _sureRun;

        /// <summary>
        /// A detection, in the order of speech: sure ones of one language in a row settle the track in it; a sure one of
        /// another language, or a trusted one (see <see cref="MinDetectProbability"/>) of another language while settled,
        /// starts over. An unsure one of the settled language leaves it settled.
        /// </summary>
        public void Observe(DetectedLanguage detected)
        {
            var sure = detected.Probability >= SureProbability;
            if (detected.Language == _sureLanguage && sure)
                _sureRun++;
            else if (detected.Language != Settled && (sure || detected.Probability >= MinDetectProbability))
            {
                (_sureLanguage, _sureRun) = sure ? (detected.Language, 1) : (null, 0);
                Settled = null;
            }
            else if (Settled is null)
                (_sureLanguage, _sureRun) = (null, 0);
            if (_sureRun >= SettleAfter)
                Settled = _sureLanguage;
        }

        /// <summary>How far through the call this track's transcription has reached (0 to 1), for progress.</summary>
        public double Reached { get; set; }

        /// <summary>This track's samples from frames <paramref name="width"/> samples wide (1: the samples themselves).</summary>
        public void Append(ReadOnlySpan<float> frames, int width)
        {
            var frameCount = frames.Length / width;
            if (_window.Length == 0)
                _window = ArrayPool<float>.Shared.Rent(Capacity);
            if (width == 1)
                frames.CopyTo(_window.AsSpan(_count));
            else
            {
                var into = _window.AsSpan(_count, frameCount);
                for (var i = 0; i < frameCount; i++)
                    into[i] = frames[i * width + channel];
            }
            _count += frameCount;
        }

        /// <summary>The window's utterances that are finished; the rest (speech that may go on past the window) waits for the next.</summary>
        public List<SpeechSpan> FindUtterances(ISpeechDetector speech, bool final, CancellationToken ct)
        {
            var spans = speech.Detect(_window.AsSpan(0, _count), ct);
            var utterances = speaker == Speakers.Mixed ? Join(spans, JoinGapSeconds, MaxJoinedSeconds) : spans;
            var seconds = _count / (double)Rate;
            _keepFrom = seconds;
            if (!final)
            {
                var open = utterances.FirstOrDefault(u => u.End > seconds - BoundaryGuardSeconds, new SpeechSpan(seconds - BoundaryGuardSeconds, seconds));
                _keepFrom = Math.Max(open.Start, seconds - MaxCarrySeconds);
            }
            // Padding can take the last utterance a little past the samples; at the end everything found is done.
            return final ? utterances.ToList() : utterances.Where(u => u.End <= _keepFrom).ToList();
        }

        /// <summary>Gives the window back to the pool once the call is done with it (nothing reads past what a call wrote).</summary>
        public void Release()
        {
            if (_window.Length > 0)
                ArrayPool<float>.Shared.Return(_window);
            _window = [];
        }

        /// <summary>Drops what was transcribed, keeping the tail that may still be speaking at the window's start.</summary>
        public void Shift()
        {
            var keep = Math.Min(_count, (int)(_keepFrom * Rate));
            _window.AsSpan(keep, _count - keep).CopyTo(_window);
            _count -= keep;
            _offset += keep;
            _keepFrom = 0;
        }

        /// <summary>Seconds a segment's edge may lie past a cut it ends on (a rest's times come back shifted, off by a rounding).</summary>
        private const double SpanTolerance = 0.001;

        /// <summary>
        /// Transcribes utterances packed into one input, each after <see cref="PackGapSeconds"/> of silence, and places each
        /// line at its own utterance's offset on the call's clock: the engine cuts its segments where the silences lie, so
        /// no line holds words of two utterances unless the speaker only paused mid-sentence, and each utterance's first
        /// line starts where its speech was detected.
        /// </summary>
        public List<TranscriptTurn> Transcribe(IReadOnlyList<SpeechSpan> pack, ITranscriptionEngine engine, TranscriptionOptions options, CancellationToken ct)
        {
            var gap = (int)(PackGapSeconds * Rate);
            var pieces = pack.Select(Place).ToList();
            // Where each utterance starts in the input, in samples and seconds.
            var at = new int[pieces.Count];
            for (var i = 1; i < pieces.Count; i++)
                at[i] = at[i - 1] + pieces[i - 1].Length + gap;
            var placed = at.Select(a => a / (double)Rate).ToArray();
            // Cut in the middle of each silence.
            var cuts = placed.Skip(1).Select(p => p - PackGapSeconds / 2).ToList();
            // Where the speaker only paused (as the mono mix joins), whisper may read a sentence on across the cut.
            var joins = cuts.Where((_, i) => pack[i + 1].Start - pack[i].End < JoinGapSeconds).ToList();
            var length = at[^1] + pieces[^1].Length;
            // A pooled buffer: a long call makes hundreds of inputs, each a large-object-heap array if allocated.
            var samples = ArrayPool<float>.Shared.Rent(length);
            TranscriptionResult result;
            try
            {
                samples.AsSpan(0, length).Clear();
                for (var i = 0; i < pieces.Count; i++)
                    _window.AsSpan(pieces[i].Start, pieces[i].Length).CopyTo(samples.AsSpan(at[i]));
                result = engine.Transcribe(samples.AsMemory(0, length), options with { SplitAt = cuts, JoinAt = joins }, null, ct);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(samples);
            }

            var turns = new List<TranscriptTurn>();
            var begun = new bool[pieces.Count];
            var written = new int[pieces.Count];
            foreach (var said in result.Segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)))
            {
                // A segment across pauses of the speaker's (the engine leaves one uncut where whisper read a sentence on
                // across it) is the line of the utterances they join; whatever other cut its edges reach over is silence.
                // Any other segment is placed by its middle (its edges may reach into the silences).
                var across = joins.Where(c => c - said.Start > SpanTolerance && said.End - c > SpanTolerance).ToList();
                var i = across.Count > 0 ? cuts.IndexOf(across[0]) : cuts.Count(c => c <= (said.Start + said.End) / 2);
                var last = across.Count > 0 ? cuts.IndexOf(across[^1]) + 1 : i;
                var seconds = pieces.Skip(i).Take(last - i + 1).Sum(p => p.Length) / (double)Rate;
                var segment = SaidOnce(said, seconds);
                written[i] += Letters(WordsOf(said));
                // whisper can loop on a short input and write its only sentence again as a line of its own: dropped only
                // when the utterance is too short to have held every word written for it.
                if (begun[i] && turns[^1].Text == segment.Text.Trim() && !SaysNumber(WordsOf(segment)) && Looped(written[i], seconds))
                    continue;
                // A time in the input on the call's clock, within utterance j.
                double OnCall(double t, int j)
                {
                    var from = OffsetSeconds + pieces[j].Start / (double)Rate;
                    return Math.Clamp(from + t - placed[j], from, from + pieces[j].Length / (double)Rate);
                }
                // The utterance starts where speech was detected; whisper's first timestamp can sit late within it.
                var start = begun[i] ? OnCall(segment.Start, i) : OffsetSeconds + pieces[i].Start / (double)Rate;
                Array.Fill(begun, true, i, last - i + 1);
                // Each word through the utterance it was said in.
                var words = segment.Words?.Select(w =>
                {
                    var j = Math.Clamp(cuts.Count(c => c <= (w.Start + w.End) / 2), i, last);
                    return w with { Start = OnCall(w.Start, j), End = OnCall(w.End, j) };
                }).ToList();
                turns.Add(new TranscriptTurn(channel, speaker, ToMs(start), ToMs(Math.Max(OnCall(segment.End, last), start)),
                    segment.Text.Trim(), result.Language, words));
            }
            return turns;
        }

        /// <summary>Where an utterance's samples lie in the window.</summary>
        private (int Start, int Length) Place(SpeechSpan span)
        {
            var start = Math.Clamp((int)(span.Start * Rate), 0, _count);
            return (start, Math.Clamp((int)Math.Ceiling(span.End * Rate), start, _count) - start);
        }

        public ReadOnlySpan<float> Samples(SpeechSpan span)
        {
            var (start, length) = Place(span);
            return _window.AsSpan(start, length);
        }
    }

    /// <summary>
    /// Consecutive utterances packed into as few inputs as hold them at most <paramref name="maxSeconds"/> each (silences
    /// between them included), of about equal length. Not rounded up to a multiple of the workers: a pack left alone takes
    /// every thread, and packing address-change-moving's agent (41.7 s) for four cost 64 positions. An utterance longer
    /// than the most is alone; a short last pack joins the one before it up to <see cref="MaxJoinedSeconds"/>.
    /// </summary>
    public static List<IReadOnlyList<SpeechSpan>> Pack(IReadOnlyList<SpeechSpan> utterances, double maxSeconds)
    {
        var ordered = utterances.OrderBy(u => u.Start).ToList();
        var packs = new List<IReadOnlyList<SpeechSpan>>();
        if (ordered.Count == 0)
            return packs;
        var total = PackedSeconds(ordered);
        var count = (int)Math.Ceiling(total / maxSeconds);
        var target = total / count;
        var current = new List<SpeechSpan>();
        foreach (var utterance in ordered)
        {
            var length = PackedSeconds(current);
            var longer = length + PackGapSeconds + utterance.Duration;
            // Closed when adding the utterance would overshoot the target by more than the pack falls short of it.
            if (current.Count > 0 && (longer > maxSeconds || longer - target > target - length))
            {
                packs.Add(current);
                current = [];
            }
            current.Add(utterance);
        }
        if (current.Count > 0)
            packs.Add(current);
        // A short last pack alone still costs whisper's smallest context (about 10 s of positions); joined to the pack
        // before it, it costs only its own length, while the two stay inside whisper's window.
        if (packs.Count > 1 && PackedSeconds(packs[^1]) < MinPackSeconds && PackedSeconds([.. packs[^2], .. packs[^1]]) <= MaxJoinedSeconds)
        {
            packs[^2] = [.. packs[^2], .. packs[^1]];
            packs.RemoveAt(packs.Count - 1);
        }
        return packs;
    }

    private static double PackedSeconds(IReadOnlyList<SpeechSpan> pack) => pack.Sum(u => u.Duration) + PackGapSeconds * Math.Max(0, pack.Count - 1);

    private static long ToMs(double seconds) => (long)Math.Round(seconds * 1000);

    /// <summary>
    /// A segment that is one run of sentences written two or more times over, as that run once, when whisper looped: on a
    /// short input it can write its only sentence again (address-change-moving's customer closing "Great, that was easy."
    /// came back twice in one segment, 32 letters from 1.55 s of speech). A repeat the utterance is long enough to have
    /// held (<see cref="Looped"/>) was said so and is kept ("Can you hear me? Can you hear me?"), as is a run under
    /// <see cref="MinLoopWords"/> words ("No, no.") and one saying a number: a card number read back twice keeps both
    /// readings and their words, which redaction mutes.
    /// </summary>
    internal static TranscribedSegment SaidOnce(TranscribedSegment segment, double speechSeconds)
    {
        var words = WordsOf(segment);
        if (!Looped(Letters(words), speechSeconds))
            return segment;
        for (var run = MinLoopWords; run <= words.Count / 2; run++)
        {
            if (words.Count % run != 0 || !WhisperModel.EndsSentence(words[run - 1])
                || !Enumerable.Range(run, words.Count - run).All(i => words[i] == words[i % run]))
                continue;
            if (SaysNumber(words.Take(run)))
                return segment;
            // Its end stays: the line still spans the audio whisper read the loop from.
            return segment.Words is { Count: > 0 } kept
                ? segment with { Text = string.Concat(kept.Take(run).Select(w => w.Text)), Words = kept.Take(run).ToList() }
                : segment with { Text = string.Join(" ", words.Take(run)) };
        }
        return segment;
    }

    private static List<string> WordsOf(TranscribedSegment segment) => segment.Words is { Count: > 0 } timed
        ? timed.Select(w => w.Text.Trim()).ToList()
        : segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>More letters than <paramref name="speechSeconds"/> of speech holds at <see cref="MaxLettersPerSecond"/>: whisper wrote some twice.</summary>
    private static bool Looped(int letters, double speechSeconds) => letters > speechSeconds * MaxLettersPerSecond;

    private static int Letters(IEnumerable<string> words) => words.Sum(w => w.Count(char.IsLetterOrDigit));

    private static bool SaysNumber(IEnumerable<string> words) => words.Select(w => NumberWords.Normalize(new string(w.Where(char.IsLetterOrDigit).ToArray())))
        .Any(w => w.Any(char.IsDigit) || NumberWords.DigitsOf(w) is not null || NumberWords.IsNumberWord(w, null));

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
