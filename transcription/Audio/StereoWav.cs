namespace CallReview.Transcription.Audio;

/// <summary>Writes two channels of float samples as a 16-bit PCM stereo WAV: how generated test and benchmark calls are stored.</summary>
public static class StereoWav
{
    public static void Write(string path, float[] left, float[] right, int rate)
    {
        using var writer = new BinaryWriter(File.Create(path));
        var dataBytes = left.Length * 4;
        writer.Write("RIFF"u8);
        writer.Write(36 + dataBytes);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)2);
        writer.Write(rate);
        writer.Write(rate * 4);
        writer.Write((short)4);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(dataBytes);
        for (var i = 0; i < left.Length; i++)
        {
            writer.Write((short)Math.Clamp(left[i] * 32767, -32768, 32767));
            writer.Write((short)Math.Clamp(right[i] * 32767, -32768, 32767));
        }
    }
}
