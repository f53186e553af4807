using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using FFMpegCore.Pipes;

namespace CallReview.Transcription.Audio;

/// <summary>Receives whole frames of interleaved float samples (channels × frames).</summary>
public delegate void FramesHandler(ReadOnlySpan<float> interleaved);

/// <summary>
/// Reads ffmpeg's f32le output from FFMpegCore's pipe and hands out whole frames from one pooled 64 KB buffer, so memory
/// stays the same however long the recording. A read that waits longer than <paramref name="stallTimeout"/> fails: time spent
/// in <paramref name="onFrames"/> (transcribing) doesn't count, a stuck ffmpeg does. When it fails, ffmpeg loses its pipe and
/// exits; FFMpegCore then reports only ffmpeg's exit, so the reason is kept in <see cref="Failure"/>.
/// It reads to the end of the pipe, not to FFMpegCore's token: FFMpegCore cancels that when ffmpeg exits, while the pipe may
/// still hold the last samples ffmpeg wrote (a consumer a block behind lost a call's last 0.29 s, silently). A stopped or
/// killed ffmpeg closes the pipe too, so nothing waits on it for ever.
/// </summary>
internal sealed class F32Reader(int channels, FramesHandler onFrames, TimeSpan stallTimeout)
{
    private const int ChunkBytes = 1 << 16;

    public ExceptionDispatchInfo? Failure { get; private set; }

    public StreamPipeSink Sink => new(ReadAllAsync);

    private async Task ReadAllAsync(Stream stream, CancellationToken _)
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
            while ((read = await ReadAsync(stream, buffer.AsMemory(carried, ChunkBytes - carried))) > 0)
            {
                var available = carried + read;
                var whole = available - available % frameBytes;
                if (whole > 0)
                    onFrames(MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, whole)));
                carried = available - whole;
                buffer.AsSpan(whole, carried).CopyTo(buffer);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<int> ReadAsync(Stream stream, Memory<byte> into)
    {
        try
        {
            return await stream.ReadAsync(into).AsTask().WaitAsync(stallTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"ffmpeg produced no audio for {stallTimeout.TotalMinutes:0.#} min and was stopped.", e);
        }
    }
}
