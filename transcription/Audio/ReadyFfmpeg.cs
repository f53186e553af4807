using System.Runtime.InteropServices;
using System.Text;
using FFMpegCore;

namespace CallReview.Transcription.Audio;

/// <summary>
/// An ffmpeg started before its recording is known, waiting to open a FIFO of its own. Starting is most of what ffmpeg
/// costs a call (Debian's build links some 230 shared libraries: about 0.1 s, where decoding a one-minute call takes 0.03 s),
/// so a worker starts the next call's ffmpeg while a core is free at the end of the current one. Given a recording, it is
/// sent the recording's path through the FIFO, as a concat list of one file, and opens the file itself: it reads and seeks it
/// as <see cref="AudioDecoder"/>'s own run does and writes every channel's frames the same, sample for sample. (Fed the
/// file's bytes instead, ffmpeg could not seek: its pipe protocols leave an MP3's end padding on, and an MP4 whose index is
/// at its end cannot be read at all.) Used once; Linux only.
/// </summary>
internal sealed class ReadyFfmpeg : IDisposable
{
    private const string Prefix = "callreview-ffmpeg-";

    private readonly string _fifo;
    private readonly TaskCompletionSource<FramesHandler> _recording = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public ReadyFfmpeg(int channels, FfmpegOptions options)
    {
        Channels = channels;
        ReleaseOrphans();
        _fifo = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}.fifo");
        if (MakeFifo(_fifo, Convert.ToUInt32("600", 8)) != 0)
            throw new IOException($"Could not make the FIFO {_fifo} (errno {Marshal.GetLastPInvokeError()}).");
        var reader = new F32Reader(channels, frames => _recording.Task.Result(frames), options.ProcessTimeout);
        var processor = FFMpegArguments.FromFileInput(_fifo, verifyExists: true, input => input.ForceFormat("concat").WithCustomArgument("-safe 0"))
            .OutputToPipe(reader.Sink, output => output.FirstAudioStream().F32(AudioDecoder.SampleRate));
        _run = FfmpegRun.RunAsync(processor, options, timeout: null, _stop.Token, reader);
        // One never used ends by being stopped: an error nobody waits to hear of.
        _ = _run.ContinueWith(run => run.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>The channels its frames carry (ffmpeg writes the recording's own).</summary>
    public int Channels { get; }

    /// <summary>False once given a recording, or once its ffmpeg has ended (stopped, or it could not start).</summary>
    public bool Waiting => !_run.IsCompleted && !_recording.Task.IsCompleted;

    /// <summary>Ends when its ffmpeg has (for tests).</summary>
    internal Task Ended => _run.ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>A concat list is read line by line: a path with a line break in it cannot be sent (stored files have none).</summary>
    public static bool CanSend(string path) => !path.AsSpan().ContainsAny('\n', '\r');

    /// <summary>
    /// Decodes <paramref name="path"/> to <paramref name="onFrames"/>; errors and cancelling as <see cref="FfmpegRun.RunAsync"/>.
    /// A file that is not there throws <see cref="FileNotFoundException"/> before ffmpeg is sent anything, as FFMpegCore does.
    /// </summary>
    public async Task DecodeAsync(string path, FramesHandler onFrames, CancellationToken cancellationToken)
    {
        var input = FfmpegRun.Input(path);
        if (!File.Exists(input))
            throw new FileNotFoundException("The recording to decode is not there.", input);
        if (!_recording.TrySetResult(onFrames))
            throw new InvalidOperationException("This ffmpeg has already been given a recording.");
        await using var stop = cancellationToken.Register(_stop.Cancel);
        // In single quotes everything is literal but a quote, which closes them: ' is written '\''.
        var list = Encoding.UTF8.GetBytes($"ffconcat version 1.0\nfile '{input.Replace("'", @"'\''")}'\n");
        var feeding = Task.Factory.StartNew(() => Feed(list), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await _run;
        }
        finally
        {
            // ffmpeg has ended: writes to the FIFO fail, and an open still waiting for it (or about to) is let through.
            while (!feeding.IsCompleted)
            {
                Release(_fifo, ReadOnly);
                await Task.WhenAny(feeding, Task.Delay(10, CancellationToken.None));
            }
        }
    }

    /// <summary>
    /// Writes the list into the FIFO and closes it, the end of ffmpeg's list. Opening waits for ffmpeg to open its end (it may
    /// still be starting); a write that fails because ffmpeg stopped (a cancel) is no error of the call's: the cancel is.
    /// </summary>
    private void Feed(byte[] list)
    {
        try
        {
            using var fifo = new FileStream(File.OpenHandle(_fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite), FileAccess.Write, 0);
            fifo.Write(list);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// An ffmpeg left waiting by a process that died without stopping it (killed) would wait on its FIFO for ever: each FIFO
    /// of a process that is gone is opened for writing and closed, which ends its ffmpeg's input, and removed.
    /// </summary>
    internal static void ReleaseOrphans()
    {
        foreach (var fifo in Directory.EnumerateFiles(Path.GetTempPath(), $"{Prefix}*.fifo"))
        {
            var name = Path.GetFileName(fifo)[Prefix.Length..];
            if (!int.TryParse(name[..Math.Max(0, name.IndexOf('-'))], out var pid) || pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}"))
                continue;
            Release(fifo, WriteOnly);
            File.Delete(fifo);
        }
    }

    /// <summary>Opens one end of a FIFO without waiting for the other, and closes it: the other end's waiting open goes through.</summary>
    private static void Release(string fifo, int end)
    {
        var fd = Open(fifo, end | NonBlocking);
        if (fd >= 0)
            Close(fd);
    }

    /// <summary>
    /// Stops its ffmpeg if it is still waiting or decoding, and removes the FIFO. One still waiting to open the FIFO is let
    /// through to an empty input as well, so it ends at once even if this process ends before the stop has killed it.
    /// </summary>
    public void Dispose()
    {
        _stop.Cancel();
        if (_recording.TrySetCanceled())
            Release(_fifo, WriteOnly);
        File.Delete(_fifo);
    }

    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int NonBlocking = 0x800; // O_NONBLOCK on Linux

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
