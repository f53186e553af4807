using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallReview.Transcription;

/// <summary>
/// When each stage of one transcription ran, on which thread (the benchmark's <c>--timeline</c> prints it): the idle
/// gaps in the wall clock, which <see cref="TranscriptionStages"/>' CPU sums cannot show. Given to the pipeline through
/// <see cref="TranscriptionOptions.Timeline"/>; unlike the stages it adds no work, so a timed run is like any other.
/// </summary>
public sealed class TranscriptionTimeline
{
    /// <summary>
    /// <paramref name="Cores"/>: the cores it kept busy (a whisper run's threads; 1 for ffmpeg's start, its process's work;
    /// 0 for waiting: for the models' load, or for ffmpeg's samples once they come; a load itself keeps one).
    /// A <paramref name="Part"/> lies inside another span on its thread (a whisper run's set-up inside its pack).
    /// </summary>
    public sealed record Span(string What, int Thread, int Cores, TimeSpan Start, TimeSpan End, bool Part = false);

    private readonly ConcurrentQueue<Span> _spans = new();

    /// <summary>The clock's zero: when the timeline was made (a pass's start).</summary>
    public TimeSpan Origin { get; } = Now();

    /// <summary>The clock spans are given on: time since the machine's stopwatch began, the same on every thread.</summary>
    public static TimeSpan Now() => Stopwatch.GetElapsedTime(0);

    /// <summary>A span of this thread from <paramref name="start"/> until <paramref name="end"/> or now (both on <see cref="Now"/>'s clock).</summary>
    public void Add(string what, TimeSpan start, int cores = 1, bool part = false, TimeSpan? end = null) =>
        _spans.Enqueue(new Span(what, Environment.CurrentManagedThreadId, cores, start - Origin, (end ?? Now()) - Origin, part));

    /// <summary>The spans by start, on the timeline's clock.</summary>
    public IReadOnlyList<Span> Spans => _spans.OrderBy(s => s.Start).ThenByDescending(s => s.End).ToList();
}
