namespace CallReview.Transcription.Audio;

/// <summary>How loud a frame of samples is, for the detectors that look at levels before any model hears them.</summary>
internal static class AudioLevel
{
    /// <summary>The frame's mean square (full scale = 1); 0 for an empty frame.</summary>
    public static double MeanSquare(ReadOnlySpan<float> frame)
    {
        if (frame.IsEmpty)
            return 0;
        var sum = 0.0;
        foreach (var sample in frame)
            sum += sample * sample;
        return sum / frame.Length;
    }
}
