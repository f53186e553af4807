using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

/// <summary>How loud decoded audio is between two moments: what tests of muted spans measure.</summary>
public static class Loudness
{
    /// <summary>Root mean square of the samples from <paramref name="from"/> to <paramref name="to"/> seconds (at the decoder's rate).</summary>
    public static double Rms(ReadOnlyMemory<float> samples, double from, double to)
    {
        var span = samples.Span[(int)(from * AudioDecoder.SampleRate)..Math.Min(samples.Length, (int)(to * AudioDecoder.SampleRate))];
        var sum = 0.0;
        foreach (var s in span)
            sum += s * s;
        return Math.Sqrt(sum / Math.Max(1, span.Length));
    }
}
