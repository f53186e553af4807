using CallReview.Db;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Recordings;
using CallReview.Transcription.Redaction;
using CallReview.Transcription.Whisper;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CallReview.Transcription.Jobs;

/// <summary>
/// Takes jobs from the queue and runs them: playback copy and waveform peaks first (so a call can be
/// listened to even before its transcript exists), then the transcript, then card data redaction (masked in the
/// stored turns, muted in the audio and peaks) before the turns are written. Runs inside the web app or as the
/// `worker` command; several workers may share one database. The lease is renewed while working; when it
/// is lost or the job is cancelled, the work is aborted (down into whisper.cpp) and nothing is written.
/// </summary>
public sealed class TranscriptionWorker(
    IDbConnectionFactory db,
    TranscriptionQueue queue,
    RecordingStore store,
    RecordingMedia media,
    CallRedaction redaction,
    FfmpegOptions ffmpeg,
    ModelCatalog models,
    TranscriptionSettings settings,
    IEnumerable<ITranscriptFollowUp> followUps,
    ILogger<TranscriptionWorker> logger) : IDisposable
{
    private readonly Dictionary<string, WhisperModel> _loaded = new();
    private readonly Lock _loadLock = new();
    private ISpeechDetector? _speech;
    /// <summary>One for every job, so the ffmpeg it starts at the end of one call decodes the next.</summary>
    private readonly AudioDecoder _decoder = new(ffmpeg, keepsOneReady: true);

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private TimeSpan Lease => TimeSpan.FromSeconds(settings.Worker.LeaseSeconds);

    /// <summary>
    /// Works until cancelled. With <paramref name="stopWhenIdle"/>, returns once no job is left to do — after
    /// waiting out the leases of jobs whose workers died, so their jobs are finished too.
    /// </summary>
    public async Task RunAsync(bool stopWhenIdle, CancellationToken ct)
    {
        logger.LogInformation("Transcription worker {WorkerId} started", WorkerId);
        while (!ct.IsCancellationRequested)
        {
            TranscriptionJob? job;
            try
            {
                job = await queue.ClaimAsync(WorkerId, Lease, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not claim a transcription job");
                job = null;
            }
            if (job is null)
            {
                if (stopWhenIdle && await queue.PendingCountAsync(ct) == 0)
                    return;
                await Task.Delay(TimeSpan.FromSeconds(settings.Worker.PollSeconds), ct).ContinueWith(_ => { }, CancellationToken.None);
                continue;
            }
            await RunJobAsync(job, ct);
        }
    }

    private sealed class CallRecording
    {
        public string Layout { get; init; } = "";
        public string OriginalPath { get; init; } = "";
        public int Channels { get; init; }
        public string Format { get; init; } = "";
        public string Codec { get; init; } = "";
        public int SampleRate { get; init; }
        public long SizeBytes { get; init; }
        public long DurationMs { get; init; }

        /// <summary>What ffprobe said when the recording came in: the file is not probed again for every attempt.</summary>
        public AudioInfo Info => new(Format, DurationMs / 1000.0, Channels, SampleRate, Codec, null, SizeBytes);
    }

    private async Task RunJobAsync(TranscriptionJob job, CancellationToken stopping)
    {
        using var jobCancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var progress = 0.0;
        using var heartbeat = new PeriodicTimer(Lease / 4);
        var heartbeatTask = HeartbeatAsync();
        try
        {
            logger.LogInformation("Job {JobId}: transcribing call {CallId} (attempt {Attempt})", job.Id, job.CallId, job.Attempts);
            CallRecording recording;
            try
            {
                recording = await LoadRecordingAsync(job.CallId, jobCancel.Token);
                await media.PrepareAsync(job.CallId, jobCancel.Token);
            }
            catch (FileNotFoundException e)
            {
                throw new PermanentJobException(new(JobFailure.RecordingMissing, [], $"{e.Message} ({e.FileName})"));
            }
            progress = 0.05;

            var model = models.Resolve(job.Model) ?? throw new PermanentJobException(job.Model is null
                ? new(JobFailure.NoModel, [], models.MissingModelAdvice)
                : new(JobFailure.ModelUnavailable, [job.Model], $"No model {job.Model} in {string.Join(", ", models.SearchDirectories)}."));
            var transcriber = new CallTranscriber(_decoder, TranscriptionModels.Loaded(Load(model.Path), Speech()), new TranscriptionOptions
            {
                Threads = settings.Whisper.Threads,
                BeamSize = settings.Whisper.BeamSize,
            }, settings.Limits.MaxDurationSeconds, logger);
            var report = new SynchronousProgress(p => progress = 0.05 + 0.95 * p);
            var transcript = await Task.Run(() => transcriber.TranscribeAsync(store.FullPath(recording.OriginalPath), recording.Info,
                ChannelLayouts.Parse(recording.Layout), job.Language, report, jobCancel.Token), jobCancel.Token);

            var turns = await redaction.ApplyAsync(job.CallId, transcript.Turns, jobCancel.Token);
            if (await queue.CompleteAsync(job.Id, WorkerId, turns, transcript.Language, CancellationToken.None))
            {
                logger.LogInformation("Job {JobId}: call {CallId} has {Turns} turns ({Language})", job.Id, job.CallId, turns.Count, transcript.Language);
                await FollowUpAsync(job, stopping);
            }
            else
                logger.LogWarning("Job {JobId}: lease lost or cancelled before completion; nothing written", job.Id);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await queue.FailAsync(job.Id, WorkerId, new(JobFailure.WorkerStopped, [], "The worker was stopped during this attempt."), retry: true, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Job {JobId}: cancelled or lease lost; stopped", job.Id);
        }
        catch (Exception ex)
        {
            var permanent = ex is PermanentJobException or AudioRejectedException or WhisperException or FileNotFoundException;
            logger.LogError(ex, "Job {JobId} failed ({Kind})", job.Id, permanent ? "permanent" : "will retry");
            await queue.FailAsync(job.Id, WorkerId, JobFailure.From(ex, job.Language), retry: !permanent, CancellationToken.None);
        }
        finally
        {
            heartbeat.Dispose();
            await heartbeatTask;
        }

        async Task HeartbeatAsync()
        {
            try
            {
                while (await heartbeat.WaitForNextTickAsync(CancellationToken.None))
                {
                    if (!await queue.RenewAsync(job.Id, WorkerId, Lease, progress, CancellationToken.None))
                    {
                        await jobCancel.CancelAsync();
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Job {JobId}: lease renewal failed", job.Id);
            }
        }
    }

    private async Task FollowUpAsync(TranscriptionJob job, CancellationToken ct)
    {
        foreach (var step in followUps)
        {
            try
            {
                await step.RunAsync(job.CallId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Job {JobId}: {Step} failed for call {CallId}; the transcript stands", job.Id, step.GetType().Name, job.CallId);
            }
        }
    }

    private async Task<CallRecording> LoadRecordingAsync(int callId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CallRecording>(
            "SELECT c.Layout, r.OriginalPath, r.Channels, r.Format, r.Codec, r.SampleRate, r.SizeBytes, c.DurationMs FROM Call c JOIN Recording r ON r.CallId = c.Id WHERE c.Id = @callId",
            new { callId }) ?? throw new PermanentJobException(new(JobFailure.RecordingMissing, [], $"Call {callId} has no recording."));
    }

    /// <summary>The model is loaded once per process and shared by jobs (whisper.cpp keeps per-call state apart).</summary>
    private WhisperModel Load(string path)
    {
        lock (_loadLock)
        {
            if (!_loaded.TryGetValue(path, out var model))
            {
                model = WhisperModel.Load(path, logger);
                _loaded[path] = model;
            }
            return model;
        }
    }

    private ISpeechDetector Speech()
    {
        lock (_loadLock)
        {
            return _speech ??= SpeechDetectors.Create(settings.SpeechDetection, models);
        }
    }

    public void Dispose()
    {
        foreach (var model in _loaded.Values)
            model.Dispose();
        (_speech as IDisposable)?.Dispose();
        _decoder.Dispose();
    }

    /// <summary>Progress reported on the calling thread, so the heartbeat always reads the latest value.</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
