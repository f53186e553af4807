using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Transcription.Redaction;
using CallReview.Transcription.Whisper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallReview.Web.Infrastructure;

/// <summary>Wires the transcription project (audio tools, queue, worker, models) into the web host.</summary>
public static class TranscriptionSetup
{
    public const string TestDataVariable = "CALLREVIEW_TESTDATA";

    public static void AddTranscription(this IServiceCollection services, IConfiguration configuration, CallReviewOptions options)
    {
        var settings = configuration.GetSection("CallReview").Get<TranscriptionSettings>() ?? new TranscriptionSettings();
        services.AddSingleton(settings);
        services.AddSingleton(new FfmpegOptions());
        services.AddSingleton<AudioProbe>();
        services.AddSingleton(new RecordingStore(options.DataDirectory));
        services.AddSingleton<TranscriptionQueue>();
        services.AddSingleton<RecordingMedia>();
        services.AddSingleton<CallRedaction>();
        services.AddSingleton(sp => new ModelCatalog(settings.Whisper.ModelPath, ModelDirectories(options), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TranscriptionWorker>();
        // Retention runs wherever a worker does: here with the in-app worker, else in each worker process.
        services.AddSingleton<CallReview.Web.Features.Retention.RetentionSchedule>();
        if (settings.Worker.Enabled)
        {
            services.AddHostedService<TranscriptionBackgroundService>();
            services.AddHostedService(sp => sp.GetRequiredService<CallReview.Web.Features.Retention.RetentionSchedule>());
        }
        services.AddHealthChecks().AddCheck<WhisperHealthCheck>("whisper");
    }

    /// <summary>
    /// Where models are looked for: the data folder's models/, then the shared test data of a source checkout
    /// (<c>CALLREVIEW_TESTDATA</c>, or <c>../shared/testdata</c> beside the repository), so a fresh clone runs offline.
    /// </summary>
    private static IReadOnlyList<string> ModelDirectories(CallReviewOptions options)
    {
        var dirs = new List<string> { Path.Combine(options.DataDirectory, "models") };
        var testData = Environment.GetEnvironmentVariable(TestDataVariable) is { Length: > 0 } configured ? configured
            : options.SourceCheckout is { } checkout ? Path.Combine(checkout, "..", "shared", "testdata")
            : null;
        if (testData is not null && Directory.Exists(Path.Combine(testData, "models")))
            dirs.Add(Path.GetFullPath(Path.Combine(testData, "models")));
        return dirs;
    }

    /// <summary>The in-app worker; turned off with <c>CallReview:Worker:Enabled=false</c> when separate workers run.</summary>
    private sealed class TranscriptionBackgroundService(TranscriptionWorker worker) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.Run(() => worker.RunAsync(stopWhenIdle: false, stoppingToken), stoppingToken);
    }

    /// <summary>Degraded (the app works, transcription does not) when Whisper.net's native runtime or a model is missing.</summary>
    private sealed class WhisperHealthCheck(ModelCatalog models) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var (available, description) = WhisperRuntime.Probe();
            if (!available)
                return Task.FromResult(HealthCheckResult.Degraded(description));
            var model = models.Resolve(null);
            return Task.FromResult(model is null
                ? HealthCheckResult.Degraded(models.MissingModelAdvice)
                : HealthCheckResult.Healthy($"model {model.Name}; {description}"));
        }
    }
}
