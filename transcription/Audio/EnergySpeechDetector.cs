namespace CallReview.Transcription.Audio;

/// <summary>Tuning for <see cref="EnergySpeechDetector"/>; times in seconds, levels in dB of frame RMS relative to full scale.</summary>
public sealed record EnergySpeechDetectorOptions
{
    /// <summary>Frame length for the energy measure; 20 ms keeps turn starts to a frame of accuracy.</summary>
    public double FrameSeconds { get; init; } = 0.02;

    /// <summary>How far above the noise floor a frame must be to start speech.</summary>
    public double StartMarginDb { get; init; } = 10;

    /// <summary>Speech, once started, continues down to this much below the start threshold (so a word's tail doesn't chop it).</summary>
    public double HysteresisDb { get; init; } = 4;

    /// <summary>Frames quieter than this are never speech, however low the floor (digital silence would make hiss look loud).</summary>
    public double AbsoluteThresholdDb { get; init; } = -50;

    /// <summary>
    /// The noise floor at a frame is the quietest frame within this window centred on it: speech always has pauses within a few
    /// seconds, so the minimum tracks the line's noise and follows it when it changes.
    /// </summary>
    public double NoiseWindowSeconds { get; init; } = 10;

    /// <summary>Speech is held this long after the last loud frame, keeping soft word endings; quieter dips this short don't end it.</summary>
    public double HangoverSeconds { get; init; } = 0.2;

    /// <summary>Bursts with less loud sound than this (clicks, coughs) are dropped.</summary>
    public double MinSpeechSeconds { get; init; } = 0.2;

    /// <summary>Gaps shorter than this join the speech either side.</summary>
    public double MinSilenceSeconds { get; init; } = 0.3;

    /// <summary>Added before and after each span (never overlapping a neighbour) so soft onsets aren't clipped.</summary>
    public double PaddingSeconds { get; init; } = 0.1;

    /// <summary>Longer spans are split at their quietest frame, keeping each piece within what one transcription call handles well.</summary>
    public double MaxUtteranceSeconds { get; init; } = 30;
}

/// <summary>
/// Energy-based speech detection: the fallback when the Silero VAD model isn't available. Good on telephone audio with
/// silence between turns; it can't tell speech from other loud sound (music on hold reads as speech until its level becomes the floor).
/// </summary>
public sealed class EnergySpeechDetector(EnergySpeechDetectorOptions options) : ISpeechDetector
{
    private const int SampleRate = AudioDecoder.SampleRate;
    private const double SilenceDb = -100;

    public EnergySpeechDetector() : this(new EnergySpeechDetectorOptions())
    {
    }

    public IReadOnlyList<SpeechSpan> Detect(ReadOnlySpan<float> samples16kMono, CancellationToken cancellationToken = default)
    {
        var frameLength = Math.Max(1, (int)Math.Round(options.FrameSeconds * SampleRate));
        var frameSeconds = frameLength / (double)SampleRate;
        int Frames(double seconds) => (int)Math.Round(seconds / frameSeconds);

        var energy = FrameEnergies(samples16kMono, frameLength, cancellationToken);
        var floor = SlidingMinimum(energy, Frames(options.NoiseWindowSeconds / 2));
        var hangover = Frames(options.HangoverSeconds);
        var spans = Threshold(energy, floor, hangover);
        spans = JoinGaps(spans, Frames(options.MinSilenceSeconds));
        spans.RemoveAll(s => s.End - s.Start < Frames(options.MinSpeechSeconds));
        spans = Extend(spans, hangover, energy.Length);
        var padding = Frames(options.PaddingSeconds);
        // Split short of the maximum by the padding both sides, so a padded piece stays within it.
        spans = SplitLong(spans, energy, Math.Max(1, Frames(options.MaxUtteranceSeconds) - 2 * padding), Frames(options.MinSpeechSeconds));

        var total = samples16kMono.Length / (double)SampleRate;
        var result = new List<SpeechSpan>(spans.Count);
        var previousEnd = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            // Padding never reaches into a neighbour, so pieces of a split span stay back to back.
            var start = Math.Max(spans[i].Start - padding, previousEnd);
            var end = Math.Min(spans[i].End + padding, i + 1 < spans.Count ? spans[i + 1].Start : energy.Length);
            result.Add(new SpeechSpan(start * frameSeconds, Math.Min(end * frameSeconds, total)));
            previousEnd = end;
        }
        return result;
    }

    private static double[] FrameEnergies(ReadOnlySpan<float> samples, int frameLength, CancellationToken cancellationToken)
    {
        var energy = new double[(samples.Length + frameLength - 1) / frameLength];
        for (var f = 0; f < energy.Length; f++)
        {
            if (f % 4096 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var frame = samples.Slice(f * frameLength, Math.Min(frameLength, samples.Length - f * frameLength));
            var meanSquare = AudioLevel.MeanSquare(frame);
            energy[f] = meanSquare > 0 ? Math.Max(SilenceDb, 10 * Math.Log10(meanSquare)) : SilenceDb;
        }
        return energy;
    }

    /// <summary>Minimum over [i - half, i + half] for every i, in linear time with a monotonic queue of indices.</summary>
    private static double[] SlidingMinimum(double[] values, int half)
    {
        var result = new double[values.Length];
        // Each index is pushed once, so a plain array with head and tail positions is the whole deque.
        var queue = new int[values.Length];
        int head = 0, tail = 0;
        for (var j = 0; j < values.Length + half; j++)
        {
            if (j < values.Length)
            {
                while (tail > head && values[queue[tail - 1]] >= values[j])
                    tail--;
                queue[tail++] = j;
            }
            var i = j - half;
            if (i < 0)
                continue;
            while (queue[head] < i - half)
                head++;
            result[i] = values[queue[head]];
        }
        return result;
    }

    /// <summary>
    /// Frame spans [Start, End) from a frame over the start threshold to the last frame over the stop threshold; dips below
    /// it no longer than the hangover don't end the span.
    /// </summary>
    private List<(int Start, int End)> Threshold(double[] energy, double[] floor, int hangover)
    {
        var spans = new List<(int Start, int End)>();
        int? start = null;
        var lastLoud = 0;
        for (var i = 0; i < energy.Length; i++)
        {
            var startThreshold = Math.Max(floor[i] + options.StartMarginDb, options.AbsoluteThresholdDb);
            if (start is null)
            {
                if (energy[i] >= startThreshold)
                    (start, lastLoud) = (i, i);
            }
            else if (energy[i] >= startThreshold - options.HysteresisDb)
            {
                lastLoud = i;
            }
            else if (i - lastLoud > hangover)
            {
                spans.Add((start.Value, lastLoud + 1));
                start = null;
            }
        }
        if (start is not null)
            spans.Add((start.Value, lastLoud + 1));
        return spans;
    }

    /// <summary>Holds each span's end for the hangover (soft word endings), up to the next span.</summary>
    private static List<(int Start, int End)> Extend(List<(int Start, int End)> spans, int hangover, int frames) =>
        spans.Select((s, i) => (s.Start, Math.Min(s.End + hangover, i + 1 < spans.Count ? spans[i + 1].Start : frames))).ToList();

    private static List<(int Start, int End)> JoinGaps(List<(int Start, int End)> spans, int minGap)
    {
        var joined = new List<(int Start, int End)>(spans.Count);
        foreach (var span in spans)
        {
            if (joined.Count > 0 && span.Start - joined[^1].End < minGap)
                joined[^1] = (joined[^1].Start, span.End);
            else
                joined.Add(span);
        }
        return joined;
    }

    /// <summary>Cuts spans longer than <paramref name="maxLength"/> frames at the quietest frame that leaves the first piece within it.</summary>
    private static List<(int Start, int End)> SplitLong(List<(int Start, int End)> spans, double[] energy, int maxLength, int minLength)
    {
        var result = new List<(int Start, int End)>(spans.Count);
        foreach (var (spanStart, end) in spans)
        {
            var start = spanStart;
            while (end - start > maxLength)
            {
                // Both pieces at least minLength long where possible; ties go to the later frame, for longer pieces.
                var upper = Math.Min(start + maxLength, end - minLength);
                var cut = upper > start + minLength ? upper : start + maxLength;
                for (var i = cut - 1; i > start + minLength; i--)
                {
                    if (energy[i] < energy[cut])
                        cut = i;
                }
                result.Add((start, cut));
                start = cut;
            }
            result.Add((start, end));
        }
        return result;
    }
}
