using System.Diagnostics;

namespace CallReview.Transcription;

/// <summary>
/// Where a transcription's time goes, stage by stage (the benchmark prints it). Times are summed over the threads
/// that did the work, so stages running side by side can add up to more than the wall clock. Given to the pipeline
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

    private readonly long[] _ticks = new long[Enum.GetValues<Stage>().Length];
    private int _utterances;
    private int _runs;
    private int _encoderRuns;
    private long _positions;
    private int _languageDetections;

    public void Add(Stage stage, TimeSpan elapsed) => Interlocked.Add(ref _ticks[(int)stage], Math.Max(0, elapsed.Ticks));

    public void AddSince(Stage stage, long startTimestamp) => Add(stage, Stopwatch.GetElapsedTime(startTimestamp));

    public TimeSpan this[Stage stage] => TimeSpan.FromTicks(Interlocked.Read(ref _ticks[(int)stage]));

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
}
