using System.Buffers;
using System.Runtime.InteropServices;

namespace CallReview.Transcription.Audio;

/// <summary>Receives whole frames of interleaved float samples (channels × frames).</summary>
internal delegate void FramesHandler(ReadOnlySpan<float> interleaved);

/// <summary>Reads ffmpeg's f32le output in large pooled chunks and hands out whole frames without per-sample allocation.</summary>
internal static class F32PipeReader
{
    private const int ChunkBytes = 1 << 16;

    public static async Task ReadAsync(Stream stream, int channels, FramesHandler onFrames, CancellationToken cancellationToken)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("f32le decoding assumes a little-endian machine.");
        var frameBytes = sizeof(float) * channels;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            // A pipe read can end mid-sample; the remainder is carried to the front of the buffer for the next read.
            var carried = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(carried, ChunkBytes - carried), cancellationToken)) > 0)
            {
                var available = carried + read;
                var whole = available - available % frameBytes;
                if (whole > 0)
                    onFrames(MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, whole)));
                carried = available - whole;
                buffer.AsSpan(whole, carried).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
