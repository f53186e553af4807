namespace CallReview.Tests.Transcription.Whisper;

/// <summary>Reads 16-bit PCM WAV files into 16 kHz mono floats (channels averaged); enough for the test audio.</summary>
internal static class Wav
{
    public static float[] ReadMono16k(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (new string(reader.ReadChars(4)) != "RIFF")
            throw new InvalidDataException($"{path}: not a RIFF file");
        reader.ReadInt32();
        if (new string(reader.ReadChars(4)) != "WAVE")
            throw new InvalidDataException($"{path}: not a WAVE file");

        int channels = 0, rate = 0, bits = 0;
        while (reader.BaseStream.Position + 8 <= reader.BaseStream.Length)
        {
            var id = new string(reader.ReadChars(4));
            var size = reader.ReadInt32();
            var next = reader.BaseStream.Position + size + (size & 1);
            if (id == "fmt ")
            {
                var format = reader.ReadInt16();
                channels = reader.ReadInt16();
                rate = reader.ReadInt32();
                reader.ReadInt32();
                reader.ReadInt16();
                bits = reader.ReadInt16();
                if (format != 1 && format != -2)
                    throw new InvalidDataException($"{path}: WAV format {format} is not PCM");
            }
            else if (id == "data")
            {
                if (channels == 0 || rate != 16_000 || bits != 16)
                    throw new InvalidDataException($"{path}: need 16 kHz 16-bit PCM, got {rate} Hz {bits}-bit {channels} ch");
                var frames = size / (2 * channels);
                var samples = new float[frames];
                for (var i = 0; i < frames; i++)
                {
                    var sum = 0;
                    for (var c = 0; c < channels; c++)
                        sum += reader.ReadInt16();
                    samples[i] = sum / (32768f * channels);
                }
                return samples;
            }
            reader.BaseStream.Position = next;
        }
        throw new InvalidDataException($"{path}: no data chunk");
    }

    /// <summary>Below this (300 of 16-bit's 32768) a sample is silence or the recording's hiss.</summary>
    private const float Quiet = 300 / 32768f;

    /// <summary>Speech without the silence (or a quiet hiss) before and after it.</summary>
    public static float[] Trimmed(ReadOnlySpan<float> samples)
    {
        var from = samples.IndexOfAnyExceptInRange(-Quiet, Quiet);
        var to = samples.LastIndexOfAnyExceptInRange(-Quiet, Quiet);
        return samples[from..(to + 1)].ToArray();
    }
}
