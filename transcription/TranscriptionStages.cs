using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CallReview.Transcription;

/// <summary>
/// Where a transcription's time goes, stage by stage (the benchmark prints it). A stage's CPU is the CPU time of the
/// thread that ran it times the threads its call held: whisper's native workers come and go with each graph it computes,
/// so no clock of ours sees them, and they share its work evenly with the calling thread (spinning at the same barriers).
/// Per-thread CPU, unlike the clock, is not stretched by other processes' load. Given to the pipeline
/// through <see cref="TranscriptionOptions.Stages"/>, it also makes the engine run each utterance's encoder once more
/// on its own, to time it apart from the decoder: a cost only a measuring run pays.
/// </summary>
public sealed class TranscriptionStages
{
    public enum Stage
    {
        /// <summary>Waiting for ffmpeg's decoded samples.</summary>
        Decode,
        SpeechDetection,
        /// <summary>A pass of its own before transcribing, only when the language is neither set nor implied by the model.</summary>
        LanguageDetection,
        /// <summary>Per engine run: a processor and whisper's native state built, the mel spectrogram computed.</summary>
        SetUp,
        Encoder,
        /// <summary>Token by token, with any temperature fallback re-decoding.</summary>
        Decoder,
        /// <summary>The extra runs that time the encoder apart: the measuring's own cost, not part of transcribing.</summary>
        Measuring,
        /// <summary>
        /// Loading the whisper and speech-detection models: each benchmark pass loads its own, as whisper-cli does (a worker
        /// loads them once).
        /// </summary>
        ModelLoad,
    }

    /// <summary>A point in time on both clocks: the wall clock and this thread's CPU time.</summary>
    public readonly record struct Mark(TimeSpan Clock, TimeSpan ThreadCpu)
    {
        public static Mark operator -(Mark later, Mark earlier) => new(later.Clock - earlier.Clock, later.ThreadCpu - earlier.ThreadCpu);

        public static Mark operator *(Mark span, int times) => new(span.Clock * times, span.ThreadCpu * times);
    }

    public static Mark Now() => new(Stopwatch.GetElapsedTime(0), ThreadCpuTime());

    private readonly long[] _cpuTicks = new long[Enum.GetValues<Stage>().Length];
    private readonly long[] _clockTicks = new long[Enum.GetValues<Stage>().Length];
    private int _utterances;
    private int _runs;
    private int _encoderRuns;
    private long _positions;
    private int _languageDetections;

    /// <summary><paramref name="elapsed"/>, run on this thread and <paramref name="threads"/> - 1 more held for it.</summary>
    public void Add(Stage stage, Mark elapsed, int threads = 1)
    {
        Interlocked.Add(ref _cpuTicks[(int)stage], Math.Max(0, elapsed.ThreadCpu.Ticks) * Math.Max(1, threads));
        Interlocked.Add(ref _clockTicks[(int)stage], Math.Max(0, elapsed.Clock.Ticks));
    }

    public void AddSince(Stage stage, Mark start, int threads = 1) => Add(stage, Now() - start, threads);

    /// <summary>CPU time: the running thread's times the threads held, summed.</summary>
    public TimeSpan this[Stage stage] => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTicks[(int)stage]));

    /// <summary>Clock time alone, summed over calls (those side by side overlap).</summary>
    public TimeSpan Clock(Stage stage) => TimeSpan.FromTicks(Interlocked.Read(ref _clockTicks[(int)stage]));

    /// <summary>Utterances found by speech detection and given to the engine (several may share one run).</summary>
    public void CountUtterances(int count) => Interlocked.Add(ref _utterances, count);

    /// <summary>One engine run, its encoder given <paramref name="audioContext"/> positions (1500 for a full 30 s window) each of <paramref name="encoderRuns"/> times.</summary>
    public void CountRun(int audioContext, int encoderRuns)
    {
        Interlocked.Increment(ref _runs);
        Interlocked.Add(ref _encoderRuns, encoderRuns);
        Interlocked.Add(ref _positions, (long)audioContext * encoderRuns);
    }

    public void CountLanguageDetection() => Interlocked.Increment(ref _languageDetections);

    public int Utterances => Volatile.Read(ref _utterances);

    public int LanguageDetections => Volatile.Read(ref _languageDetections);

    public int Runs => Volatile.Read(ref _runs);

    public int EncoderRuns => Volatile.Read(ref _encoderRuns);

    public long Positions => Interlocked.Read(ref _positions);

    private const int ClockThreadCpuTimeId = 3;

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>This thread's CPU time (Linux); zero elsewhere, so stages then show none rather than a guess.</summary>
    private static TimeSpan ThreadCpuTime()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
            return TimeSpan.Zero;
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }
}
