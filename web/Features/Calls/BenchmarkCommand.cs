using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// <c>benchmark &lt;file&gt; [&lt;file&gt; …] [--model &lt;path&gt;] [--threads n] [--layout mono|agent-left|agent-right] [--language auto|xx] [--runs n] [--warmup n] [--cli &lt;path&gt;] [--timeline] [--texts &lt;folder&gt;]</c>:
/// times the job pipeline (per channel for a stereo file, and on its mono mix) against whisper.cpp's own
/// <c>whisper-cli</c> on the same audio with the same model, threads, language and beam size, and, when the file
/// has a <c>&lt;name&gt;.timing.json</c> beside it (the sample calls do), how far each one's turn starts land from
/// the true ones. Each pass loads the model itself, as whisper-cli does, so wall times compare like for like. Our passes
/// share one decoder, as a worker's jobs do: the ffmpeg a per-channel pass starts when a core frees at its end (see
/// <see cref="AudioDecoder.PrepareNext"/>) decodes the next one, whose CPU seconds count its start-up; whisper-cli is
/// given its mono mix decoded before its clock starts.
/// whisper-cli is an optional reference, built by <c>scripts/build-whisper-cli.sh</c>; without it only our passes run.
/// <c>--timeline</c> adds one more run of our first pass, showing when each stage ran on which thread, and the idle cores.
/// <c>--warmup</c> runs our passes that many times first, unmeasured: a worker transcribes call after call, and .NET compiles
/// (and recompiles, optimised) its code during its first calls in a process — about 0.1 s of CPU per call until some ten calls
/// in — so the measured rounds are then a running worker's, not a freshly started one's. Models are still loaded by every pass.
/// <c>--texts</c> writes each pass's lines (start, speaker, text) to a file in that folder, to see where the passes' words differ.
/// Given several files, each is measured in turn and a last table pools them (seconds summed, WER as all errors over all
/// script words, turn starts over all turns): one call's ratio moves by a tenth with the machine and tiny.en's words flip
/// call by call, so a change is judged on the pool.
/// </summary>
public sealed partial class BenchmarkCommand(AudioProbe probe, ModelCatalog models, TranscriptionSettings settings, FfmpegOptions ffmpeg) : ICliCommand
{
    public string Name => "benchmark";
    public string Usage => "benchmark <file> [<file> …] [--model <path>] [--threads n] [--layout mono|agent-left|agent-right] [--language auto|xx] [--runs n] [--warmup n] [--cli <path>] [--timeline] [--texts <folder>] [--shifts <ms>,<ms>,…]";
    public bool UsesDatabase => false;

    /// <summary>Our passes' decoder, made by <see cref="RunAsync"/>: every command line builds every command to find its own.</summary>
    private AudioDecoder _decoder = null!;

    /// <summary>A transcript line's start and text; a null speaker matches any true turn (a mono mix has no speakers).</summary>
    private sealed record Start(string? Speaker, double Seconds, string Text);

    private sealed record Pass(string Label, double WallSeconds, double CpuSeconds, IReadOnlyList<Start> Starts, string Text);

    private sealed record Timing(IReadOnlyList<TimingTurn> Turns);

    private sealed record TimingTurn(string Speaker, double Start);

    /// <summary>A sample call's script (<c>&lt;name&gt;.json</c>): what was said, turn by turn.</summary>
    private sealed record Script(IReadOnlyList<ScriptTurn> Turns, string? Language);

    private sealed record ScriptTurn(string Text);

    private const string WhisperCliLabel = "whisper-cli mono mix";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        // The ffmpeg left waiting after the last pass is stopped when the command ends.
        using var decoder = _decoder = new AudioDecoder(ffmpeg, keepsOneReady: true);
        var (_, layout, language, threads, model) = TranscriptionArguments.Parse(args, settings, models);
        // Every argument before the first option is a file: one call's ratio moves by a tenth with the machine, several pool.
        var files = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(CommandLine.UserPath).ToList();
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
            throw new FileNotFoundException($"no such file: {missing}");
        var runs = TranscriptionArguments.PositiveNumber(args, "--runs", 1);
        var warmup = TranscriptionArguments.PositiveNumber(args, "--warmup", 0);
        var cli = FindWhisperCli(args);
        var options = new TranscriptionOptions { Threads = threads, BeamSize = settings.Whisper.BeamSize };
        var detector = SpeechDetectors.Create(settings.SpeechDetection, models);
        var detectorName = detector is SileroSpeechDetector ? "silero" : "energy";
        (detector as IDisposable)?.Dispose();

        Console.WriteLine($"model  {Path.GetFileName(model)}, {threads} threads, beam {options.BeamSize}, language {language}, speech detection {detectorName}, best of {runs} run(s)");
        Console.WriteLine($"engine {WhisperRuntime.Probe().Description.Split(';')[0]}");
        Console.WriteLine(cli is null
            ? "cli    whisper-cli not found, so its reference row is left out (build it: scripts/build-whisper-cli.sh, or pass --cli <path>)"
            : $"cli    {cli}");
        if (CommandLine.Option(args, "--shifts") is { } shifts)
            return await RunShiftsAsync(files, Milliseconds(shifts), layout, language, model, options, cli, ct);
        if (warmup > 0)
            Console.WriteLine($"warmup {warmup} unmeasured run(s) of each of our passes per file, so the rounds are a running worker's (compiled code settled)");

        var scores = new List<Score>();
        foreach (var file in files)
        {
            Console.WriteLine();
            scores.AddRange(await RunFileAsync(file, layout, language, threads, model, options, cli, runs, warmup, args, ct));
        }
        if (files.Count > 1)
            PrintPooled(files.Count, scores);
        return 0;
    }

    /// <summary>One file: its passes' best rounds as a table, then the stage-timed run (and the timeline, when asked for).</summary>
    private async Task<IReadOnlyList<Score>> RunFileAsync(string file, ChannelLayout layout, string language, int threads, string model,
        TranscriptionOptions options, string? cli, int runs, int warmup, IReadOnlyList<string> args, CancellationToken ct)
    {
        var info = await probe.ProbeAsync(file, AudioLimits.None, ct);
        var (truth, written) = await ReadTruthAsync(file, ct);
        var script = written?.Turns is { Count: > 0 } said ? string.Join(" ", said.Select(t => t.Text)) : null;
        // English scripts are also counted after the usual normalisation (numbers in digits, contractions spelled out).
        var normalized = script is not null && written!.Language == "en";
        var scriptTurns = script is not null && truth is not null && written!.Turns.Count == truth.Count ? written.Turns : null;

        Console.WriteLine(FormattableString.Invariant($"file   {file}: {info.DurationSeconds:0.0} s, {info.Channels} channel(s)"));
        if (truth is not null)
            Console.WriteLine($"truth  {Path.GetFileName(TimingPath(file))}: {truth.Count} turns");
        if (script is not null)
            Console.WriteLine($"script {Path.GetFileName(ScriptPath(file))}: {WordErrorRate.Words(script).Length} words{(normalized ? $", {WordErrorRate.NormalizedWords(script).Length} normalised" : "")}");

        var perChannel = info.Channels == 2 && layout != ChannelLayout.Mono;
        var ours = OurPasses(file, info, perChannel, layout, model, options, language, ct);
        var runners = ours.ToList();
        if (cli is not null)
            runners.Add(() => WhisperCliAsync(cli, file, model, options, language, ct));
        for (var round = 0; round < warmup; round++)
        {
            foreach (var runner in ours)
                await runner();
        }
        // Rounds run every pass once, in turn, so load from other processes falls on all alike; the fastest round counts.
        var best = new Pass?[runners.Count];
        for (var round = 0; round < runs; round++)
        {
            for (var i = 0; i < runners.Count; i++)
            {
                var pass = await runners[i]();
                if (best[i] is not { } fastest || pass.WallSeconds < fastest.WallSeconds)
                    best[i] = pass;
            }
        }
        var passes = best.Select(p => p!).ToList();
        var cliPass = cli is null ? null : passes[^1];
        if (CommandLine.Option(args, "--texts") is { } texts)
            await WriteTextsAsync(CommandLine.UserPath(texts), file, passes, ct);

        var scores = passes.Select(pass => new Score(pass, info.DurationSeconds,
            script is null ? null : Count(WordErrorRate.Words(script), WordErrorRate.Words(pass.Text)),
            normalized ? Count(WordErrorRate.NormalizedWords(script!), WordErrorRate.NormalizedWords(pass.Text)) : null,
            truth is null ? null : StartErrors(truth, pass.Starts),
            scriptTurns is null ? null : FirstWords(truth!, scriptTurns, pass.Starts), truth?.Count ?? 0)).ToList();
        Console.WriteLine();
        PrintTable(scores, scores.FirstOrDefault(s => s.Pass == cliPass));

        // One more run of our first pass, measured stage by stage (its encoders run twice, so it is not timed above).
        var stages = new TranscriptionStages();
        var ffmpegCpu = CpuTime.OfChildren();
        var jit = JitInfo.GetCompilationTime();
        var measured = await OursAsync(passes[0].Label, file, info, perChannel ? layout : ChannelLayout.Mono, model,
            options with { Stages = stages }, language, ct);
        PrintStages(measured, stages, CpuTime.OfChildren() - ffmpegCpu, JitInfo.GetCompilationTime() - jit);

        if (CommandLine.Flag(args, "--timeline"))
        {
            var timeline = new TranscriptionTimeline();
            var timed = await OursAsync(passes[0].Label, file, info, perChannel ? layout : ChannelLayout.Mono, model,
                options with { Timeline = timeline }, language, ct);
            PrintTimeline(timed, timeline, threads);
        }
        return scores;
    }

    private static string TimingPath(string file) => Path.ChangeExtension(file, ".timing.json");

    private static string ScriptPath(string file) => Path.ChangeExtension(file, ".json");

    /// <summary>A sample call's turn timing and script, where they lie beside it.</summary>
    private static async Task<(IReadOnlyList<TimingTurn>? Truth, Script? Script)> ReadTruthAsync(string file, CancellationToken ct)
    {
        var (timingPath, scriptPath) = (TimingPath(file), ScriptPath(file));
        var truth = File.Exists(timingPath)
            ? JsonSerializer.Deserialize<Timing>(await File.ReadAllTextAsync(timingPath, ct), JsonSerializerOptions.Web)?.Turns
            : null;
        var script = File.Exists(scriptPath)
            ? JsonSerializer.Deserialize<Script>(await File.ReadAllTextAsync(scriptPath, ct), JsonSerializerOptions.Web)
            : null;
        return (truth, script);
    }

    /// <summary>Our passes over one file: per channel (a two-channel file, unless told it is mono), then the mono mix.</summary>
    private List<Func<Task<Pass>>> OurPasses(string file, AudioInfo info, bool perChannel, ChannelLayout layout, string model,
        TranscriptionOptions options, string language, CancellationToken ct)
    {
        var passes = new List<Func<Task<Pass>>>();
        if (perChannel)
            passes.Add(() => OursAsync("CallReview per channel", file, info, layout, model, options, language, ct));
        passes.Add(() => OursAsync("CallReview mono mix", file, info, ChannelLayout.Mono, model, options, language, ct));
        return passes;
    }

    /// <summary>Errors and words of one pass's text against the script.</summary>
    private sealed record WordCount(int Errors, int Words)
    {
        public double Rate => Words == 0 ? 0 : Errors / (double)Words;
    }

    private static WordCount Count(string[] expected, string[] actual) => new(WordErrorRate.Errors(expected, actual), expected.Length);

    /// <summary>
    /// A pass's best round scored: its words against the script (raw and normalised), each true turn's distance to the nearest
    /// start of its speaker, and the turns whose line starts on their first word.
    /// </summary>
    private sealed record Score(Pass Pass, double AudioSeconds, WordCount? Words, WordCount? Normalized, IReadOnlyList<double>? StartErrors,
        int? FirstWordsRight, int Turns);

    /// <summary>One row per pass: wall and CPU against whisper-cli's, WER, turn-start errors and first words.</summary>
    private static void PrintTable(IReadOnlyList<Score> scores, Score? cli)
    {
        var anyWords = scores.Any(s => s.Words is not null);
        var anyNormalized = scores.Any(s => s.Normalized is not null);
        var anyStarts = scores.Any(s => s.StartErrors is not null);
        var anyFirstWords = scores.Any(s => s.FirstWordsRight is not null);
        Console.WriteLine($"{"pass",-24} {"wall s",7} {"RTF",6} {"vs cli",7} {"cpu s",7} {"vs cli",7} {(anyWords ? "  WER" : "")}{(anyNormalized ? "  norm" : "")}  {(anyStarts ? "turn start error s (max / median)" : "")}{(anyFirstWords ? "  turns whose line starts on their first word" : "")}");
        foreach (var score in scores)
        {
            var pass = score.Pass;
            var wer = (score.Words is { } words ? FormattableString.Invariant($"{words.Rate,5:0.000}") : anyWords ? "    -" : "")
                + (score.Normalized is { } norm ? FormattableString.Invariant($" {norm.Rate,5:0.000}") : anyNormalized ? "     -" : "");
            var errors = (score.StartErrors is { } starts ? MaxAndMedian(starts) : "")
                + (score.FirstWordsRight is { } right ? $"       {right}/{score.Turns}" : "");
            Console.WriteLine(FormattableString.Invariant(
                $"{pass.Label,-24} {pass.WallSeconds,7:0.00} {pass.WallSeconds / score.AudioSeconds,6:0.000} {Ratio(pass.WallSeconds, cli?.Pass.WallSeconds),7} {pass.CpuSeconds,7:0.00} {Ratio(pass.CpuSeconds, cli?.Pass.CpuSeconds),7} {wer}  {errors}"));
        }
    }

    private static string Ratio(double ours, double? reference) =>
        reference is { } r ? (ours / r).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";

    /// <summary>
    /// Every file's passes pooled, pass by pass: wall and CPU seconds summed (so the ratio to whisper-cli weighs each call by
    /// its length), WER as all errors over all script words, turn starts over all turns.
    /// </summary>
    private static void PrintPooled(int files, IReadOnlyList<Score> scores)
    {
        static WordCount? Sum(IEnumerable<WordCount?> counts) =>
            counts.All(c => c is not null) ? new WordCount(counts.Sum(c => c!.Errors), counts.Sum(c => c!.Words)) : null;
        // A pass that some files lack (per channel, on a mono file) would be summed over fewer calls than the others.
        var pooled = scores.GroupBy(s => s.Pass.Label).Where(g => g.Count() == files).Select(g => new Score(
            new Pass(g.Key, g.Sum(s => s.Pass.WallSeconds), g.Sum(s => s.Pass.CpuSeconds), [], ""),
            g.Sum(s => s.AudioSeconds),
            Sum(g.Select(s => s.Words)),
            Sum(g.Select(s => s.Normalized)),
            g.All(s => s.StartErrors is not null) ? g.SelectMany(s => s.StartErrors!).ToList() : null,
            g.All(s => s.FirstWordsRight is not null) ? g.Sum(s => s.FirstWordsRight!.Value) : null,
            g.Sum(s => s.Turns))).ToList();
        Console.WriteLine();
        Console.WriteLine($"all {files} files, each pass's best rounds summed (WER: all errors over all script words; a pass not run on every file is left out)");
        PrintTable(pooled, pooled.FirstOrDefault(s => s.Pass.Label == WhisperCliLabel));
        foreach (var score in pooled.Where(s => s.Words is not null))
        {
            Console.WriteLine(FormattableString.Invariant(
                $"  {score.Pass.Label,-22} {score.Words!.Errors} errors in {score.Words.Words} words{(score.Normalized is { } n ? $", normalised {n.Errors} in {n.Words}" : "")}"));
        }
    }

    /// <summary>
    /// The stage-timed run's CPU seconds, less its encoder timing runs, split into the stages, the models' loading, ffmpeg's
    /// own process (a child, so in no stage) and the rest: all from that one run, so the rows add up to its figure. A stage's
    /// seconds are its calling thread's CPU times the threads its call held (<see cref="TranscriptionStages"/>: whisper's
    /// native workers have no clock of ours); waiting for ffmpeg is clock time, shown but not summed.
    /// </summary>
    private static void PrintStages(Pass measured, TranscriptionStages stages, TimeSpan ffmpegCpu, TimeSpan jit)
    {
        Console.WriteLine();
        Console.WriteLine($"where the time goes: {measured.Label}, one more run with each stage's CPU measured (its thread's CPU seconds x threads held)");
        var measuring = stages[TranscriptionStages.Stage.Measuring].TotalSeconds;
        var cpuSeconds = measured.CpuSeconds - measuring;
        Console.WriteLine(FormattableString.Invariant(
            $"  {"decode (waiting for ffmpeg)",-28} {stages.Clock(TranscriptionStages.Stage.Decode).TotalSeconds,7:0.000}         clock time with nothing to work on, not CPU (not in the sum)"));
        var rows = new List<(string Name, double Seconds, string Note)>
        {
            ("speech detection", stages[TranscriptionStages.Stage.SpeechDetection].TotalSeconds, "one thread"),
            ("language detection", stages[TranscriptionStages.Stage.LanguageDetection].TotalSeconds, $"{stages.LanguageDetections} passes, each on its thread and any spare ones"),
            ("per-input set-up", stages[TranscriptionStages.Stage.SetUp].TotalSeconds, $"{stages.Utterances} utterances packed into {stages.Runs} inputs"),
            ("encoder", stages[TranscriptionStages.Stage.Encoder].TotalSeconds, $"{stages.EncoderRuns} runs, {stages.Positions} positions (1500 = 30 s)"),
            ("decoder", stages[TranscriptionStages.Stage.Decoder].TotalSeconds, "set-up, encoder and decoder: the calling thread's CPU x the threads its input held"),
            ("model loading", stages[TranscriptionStages.Stage.ModelLoad].TotalSeconds, "whisper and Silero, a thread each while ffmpeg starts, loaded by every pass as whisper-cli loads its model"),
            ("ffmpeg's own process", ffmpegCpu.TotalSeconds, "its CPU seconds: mostly starting (linking its shared libraries), little decoding"),
        };
        rows.Add(("rest of the CPU seconds", cpuSeconds - rows.Sum(r => r.Seconds),
            FormattableString.Invariant($"the .NET runtime's own threads (GC, thread pool), JIT compiling {jit.TotalSeconds:0.000} s in this run")));
        foreach (var (name, seconds, note) in rows)
            Console.WriteLine(FormattableString.Invariant($"  {name,-28} {seconds,7:0.000} {100 * seconds / Math.Max(cpuSeconds, 1e-9),5:0}%  {note}"));
        Console.WriteLine(FormattableString.Invariant($"  {"cpu s",-28} {cpuSeconds,7:0.000}         (this run's, less its encoder timing runs: {measured.CpuSeconds:0.000} - {measuring:0.000} s)"));
        Console.WriteLine(FormattableString.Invariant($"  {"wall clock",-28} {measured.WallSeconds - stages.Clock(TranscriptionStages.Stage.Measuring).TotalSeconds,7:0.000}         (less the encoder timing runs; the stages overlap when utterances run side by side)"));
    }

    /// <summary>
    /// The timed run's spans in the order they began, then a chart of its threads (a column per 1/72 of the wall clock, each
    /// marked with the first letter of what ran there), and the core-seconds no span kept busy: the wall clock's idle gaps.
    /// ffmpeg's start counts as a core (its own process works, mostly linking, before its first samples); its decoding after
    /// that counts none, so the workers idle while samples come show as idle.
    /// </summary>
    private static void PrintTimeline(Pass timed, TranscriptionTimeline timeline, int cores)
    {
        const int columns = 72;
        var spans = timeline.Spans;
        var wall = timed.WallSeconds;
        var threads = spans.Select(s => s.Thread).Distinct().ToList();
        string Name(int thread) => $"T{threads.IndexOf(thread) + 1}";
        Console.WriteLine();
        Console.WriteLine($"timeline: {timed.Label}, one more run (ms from its start; threads T1… as they appear; cores: those a span keeps busy)");
        Console.WriteLine($"  {"start",6} {"end",6}  {"thread",-6} {"cores",5}  what");
        foreach (var span in spans)
            Console.WriteLine(FormattableString.Invariant(
                $"  {span.Start.TotalMilliseconds,6:0} {span.End.TotalMilliseconds,6:0}  {Name(span.Thread),-6} {span.Cores,5}  {(span.Part ? "  " : "")}{span.What}"));
        var whole = spans.Where(s => !s.Part).ToList();
        foreach (var thread in threads)
        {
            var row = Enumerable.Range(0, columns).Select(c =>
            {
                var at = TimeSpan.FromSeconds((c + 0.5) * wall / columns);
                return whole.LastOrDefault(s => s.Thread == thread && s.Start <= at && at < s.End) is { } span ? char.ToUpperInvariant(span.What[0]) : '.';
            });
            Console.WriteLine($"  {Name(thread),-4} |{string.Concat(row)}|");
        }
        // Idle core-seconds: the wall clock cut at every span's start and end, each piece short of the cores by what ran in it.
        var edges = whole.SelectMany(s => new[] { s.Start.TotalSeconds, s.End.TotalSeconds }).Append(0).Append(wall)
            .Where(t => t >= 0 && t <= wall).Distinct().Order().ToList();
        var idle = edges.Zip(edges.Skip(1), (from, until) =>
            (until - from) * Math.Max(0, cores - whole.Where(s => s.Start.TotalSeconds <= from && until <= s.End.TotalSeconds).Sum(s => s.Cores))).Sum();
        Console.WriteLine(FormattableString.Invariant(
            $"  wall {wall:0.000} s; cores idle {idle:0.000} s of {cores} x {wall:0.000} s (ffmpeg's process counts as one until its first samples)"));
    }

    /// <summary>Each pass's lines as <c>&lt;file's name&gt;.&lt;pass&gt;.txt</c>: start in seconds, speaker (- on a mix) and text, one line each.</summary>
    private static async Task WriteTextsAsync(string folder, string file, IReadOnlyList<Pass> passes, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        foreach (var pass in passes)
        {
            var name = $"{Path.GetFileNameWithoutExtension(file)}.{pass.Label.ToLowerInvariant().Replace(' ', '-')}.txt";
            await File.WriteAllLinesAsync(Path.Combine(folder, name),
                pass.Starts.Select(s => FormattableString.Invariant($"{s.Seconds,7:0.00} {s.Speaker ?? "-",-8} {s.Text.Trim()}")), ct);
        }
    }

    /// <summary>whisper-cli from <c>--cli</c>, else the one scripts/build-whisper-cli.sh left in its cache, else none.</summary>
    private static string? FindWhisperCli(IReadOnlyList<string> args)
    {
        if (CommandLine.Option(args, "--cli") is { } given)
        {
            var path = CommandLine.UserPath(given);
            return File.Exists(path) ? path : throw new FileNotFoundException($"no such whisper-cli: {path}");
        }
        var cache = Environment.GetEnvironmentVariable("CALLREVIEW_NATIVE_CACHE") is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "callreview", "native");
        return Directory.Exists(cache)
            ? Directory.EnumerateDirectories(cache, "whisper-cli-*").Select(d => Path.Combine(d, "whisper-cli")).FirstOrDefault(File.Exists)
            : null;
    }

    private async Task<Pass> OursAsync(string label, string file, AudioInfo info, ChannelLayout layout, string modelPath,
        TranscriptionOptions options, string language, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var cpu = CpuTime.OfSelfAndChildren();
        // Loaded by every pass, as whisper-cli loads its model, while ffmpeg decodes (as the transcribe command does).
        await using var loaded = TranscriptionModels.Load(() => WhisperModel.Load(modelPath),
            () => SpeechDetectors.Create(settings.SpeechDetection, models), options);
        var transcriber = new CallTranscriber(_decoder, loaded, options);
        var transcript = await transcriber.TranscribeAsync(file, info, ChannelLayouts.ForChannels(info.Channels, layout), language, null, ct);
        var starts = transcript.Turns
            .Select(t => new Start(t.Speaker == CallTranscriber.Speakers.Mixed ? null : t.Speaker, t.StartMs / 1000.0, t.Text))
            .ToList();
        return new Pass(label, watch.Elapsed.TotalSeconds, (CpuTime.OfSelfAndChildren() - cpu).TotalSeconds, starts,
            string.Join(" ", transcript.Turns.Select(t => t.Text)));
    }

    /// <summary>
    /// whisper-cli reads WAV, so it gets a float WAV of exactly the mono mix our decoder (ffmpeg) produces, written
    /// before the clock starts; its segment lines give the starts.
    /// </summary>
    private async Task<Pass> WhisperCliAsync(string cli, string file, string model, TranscriptionOptions options, string language, CancellationToken ct)
    {
        var wav = Path.Combine(Path.GetTempPath(), $"callreview-benchmark-{Guid.NewGuid():N}.wav");
        try
        {
            WriteFloatWav(wav, await new AudioDecoder(ffmpeg).DecodeMonoMixAsync(file, ct));
            var watch = Stopwatch.StartNew();
            var cpu = CpuTime.OfChildren();
            var output = await ProcessRunner.RunAsync(cli,
                ["-m", model, "-f", wav, "-t", Invariant(options.Threads), "-l", language, "-bs", Invariant(options.BeamSize), "-np"],
                ffmpeg.ProcessTimeout, ct);
            var elapsed = watch.Elapsed.TotalSeconds;
            var cpuSeconds = (CpuTime.OfChildren() - cpu).TotalSeconds;
            var segments = SegmentLine().Matches(output);
            var starts = segments
                .Select(match => new Start(null, TimeSpan.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture).TotalSeconds, match.Groups[2].Value))
                .ToList();
            return new Pass(WhisperCliLabel, elapsed, cpuSeconds, starts, string.Join(" ", segments.Select(match => NonSpeechMarkers.Remove(match.Groups[2].Value))));
        }
        finally
        {
            File.Delete(wav);
        }
    }

    /// <summary>A 16 kHz mono WAV of 32-bit float samples (format 3, IEEE float).</summary>
    private static void WriteFloatWav(string path, ReadOnlyMemory<float> samples)
    {
        const int bytesPerSample = sizeof(float);
        var dataBytes = samples.Length * bytesPerSample;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + dataBytes);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)3);
        writer.Write((short)1);
        writer.Write(AudioDecoder.SampleRate);
        writer.Write(AudioDecoder.SampleRate * bytesPerSample);
        writer.Write((short)bytesPerSample);
        writer.Write((short)(8 * bytesPerSample));
        writer.Write("data"u8);
        writer.Write(dataBytes);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.Span));
    }

    /// <summary>
    /// For each true turn, the distance to the nearest transcript start of the same speaker: a turn placed late,
    /// early or not found at all shows as a large error.
    /// </summary>
    private static List<double> StartErrors(IReadOnlyList<TimingTurn> truth, IReadOnlyList<Start> starts) =>
        truth.Select(t => starts.Where(s => s.Speaker is null || s.Speaker == t.Speaker).Select(s => Math.Abs(s.Seconds - t.Start)).DefaultIfEmpty(double.PositiveInfinity).Min())
            .ToList();

    private static string MaxAndMedian(IReadOnlyList<double> errors)
    {
        if (errors.Count == 0)
            return "";
        var sorted = errors.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return FormattableString.Invariant($"{sorted[^1]:0.00} / {median:0.00}");
    }

    /// <summary>
    /// How many true turns have a line of their speaker starting within a second of them whose first word is the turn's
    /// first word: a line that starts on time but holds the end of the speaker's previous words shows here. The script's
    /// turns count only when they are the timing's turns one for one.
    /// </summary>
    private static int FirstWords(IReadOnlyList<TimingTurn> truth, IReadOnlyList<ScriptTurn> said, IReadOnlyList<Start> starts) =>
        truth.Where((t, i) => starts
            .Where(s => (s.Speaker is null || s.Speaker == t.Speaker) && Math.Abs(s.Seconds - t.Start) <= 1.0)
            .MinBy(s => Math.Abs(s.Seconds - t.Start)) is { } line
            && WordErrorRate.Words(line.Text).FirstOrDefault() == WordErrorRate.Words(said[i].Text).FirstOrDefault()).Count();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"[00:01:02.480 --> 00:01:05.000]   text": a whisper-cli segment's start and text.</summary>
    [GeneratedRegex(@"^\[(\d+:\d\d:\d\d\.\d+) --> [^\]]*\]\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex SegmentLine();
}
