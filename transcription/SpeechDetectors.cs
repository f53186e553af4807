using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;

namespace CallReview.Transcription;

/// <summary>Chooses the speech detector the configuration asks for, falling back to energy detection when no Silero model exists.</summary>
public static class SpeechDetectors
{
    public static ISpeechDetector Create(SpeechDetectionSettings settings, ModelCatalog models)
    {
        if (settings.Engine.Equals(SpeechDetectionSettings.SileroEngine, StringComparison.OrdinalIgnoreCase) &&
            models.FindVadModel(settings.VadModelPath) is { } vadModel)
            return SileroSpeechDetector.Load(vadModel, settings.Silero);
        return new EnergySpeechDetector();
    }
}
