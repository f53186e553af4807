using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription;

/// <summary>
/// A contact-center call rendered for a test: each turn spoken by espeak-ng in the agent's or the customer's
/// voice, placed at a chosen second on its own channel (agent left, customer right), silence elsewhere.
/// </summary>
public static class ScriptedStereoCall
{
    public sealed record Turn(string Speaker, double Start, string Text);

    public static async Task<string> RenderAsync(string directory, IReadOnlyList<Turn> turns, double totalSeconds)
    {
        const int rate = AudioDecoder.SampleRate;
        var left = new float[(int)(totalSeconds * rate)];
        var right = new float[left.Length];
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            var speech = (await SpeakAsync(directory, turn, $"turn{i}.wav")).Span;
            var target = turn.Speaker == "agent" ? left : right;
            var offset = (int)(turn.Start * rate);
            speech[..Math.Min(speech.Length, target.Length - offset)].CopyTo(target.AsSpan(offset));
        }
        var path = Path.Combine(directory, "call.wav");
        StereoWav.Write(path, left, right, rate);
        return path;
    }

    /// <summary>How long a turn's rendering lasts, in seconds, to place the next turn a chosen pause after it.</summary>
    public static async Task<double> SecondsAsync(string directory, Turn turn) =>
        (await SpeakAsync(directory, turn, "measure.wav")).Length / (double)AudioDecoder.SampleRate;

    /// <summary>A turn spoken alone: 16 kHz mono samples, written through <paramref name="name"/> in the directory.</summary>
    public static async Task<ReadOnlyMemory<float>> SpeakAsync(string directory, Turn turn, string name)
    {
        var voice = turn.Speaker == "agent" ? "en-us" : "en-gb+f3";
        var wav = Path.Combine(directory, name);
        await ProcessRunner.RunAsync("espeak-ng", ["-v", voice, "-s", "150", "-w", wav, turn.Text], TimeSpan.FromSeconds(30));
        return await new AudioDecoder(new FfmpegOptions()).DecodeMonoMixAsync(wav);
    }
}
