namespace CallReview.Transcription.Audio;

/// <summary>Seconds of a recording to silence, on one channel or (null) on all of them.</summary>
public sealed record MutedSpan(int? Channel, double Start, double End);
