namespace CallReview.Transcription;

/// <summary>A stretch of speech, in seconds from the start of the audio it was found in.</summary>
public readonly record struct SpeechSpan(double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>Finds where people speak in 16 kHz mono audio, so each utterance can be transcribed at its real offset.</summary>
public interface ISpeechDetector
{
    IReadOnlyList<SpeechSpan> Detect(ReadOnlySpan<float> samples16kMono, CancellationToken cancellationToken = default);
}
