using System.Text.Json;
using CallReview.Db;
using CallReview.Transcription.Audio;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// <c>GET /healthz</c>: <c>{"status", "checks": {name: {"status", "description"}}}</c>. Database and ffmpeg are
/// always checked; other parts register their own checks.
/// </summary>
public static class HealthEndpoint
{
    public static IHealthChecksBuilder AddCallReviewHealthChecks(this IServiceCollection services)
    {
        // A singleton, so the tools are run once per process, not on every /healthz.
        services.AddSingleton<FfmpegHealthCheck>();
        return services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<FfmpegHealthCheck>("ffmpeg");
    }

    public static void MapHealthEndpoint(this WebApplication app) =>
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class DatabaseHealthCheck(Migrator migrator, IDbConnectionFactory db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var current = await migrator.CurrentVersionAsync(cancellationToken);
                var latest = migrator.LatestKnownVersion;
                var description = $"{db.Dialect.Provider}, migration {current} of {latest}";
                return current == latest ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description);
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy($"{db.Dialect.Provider}: {ex.Message}");
            }
        }
    }

    /// <summary>ffmpeg and ffprobe must run; the answer is cached since it does not change while the app runs.</summary>
    private sealed class FfmpegHealthCheck(FfmpegOptions ffmpeg) : IHealthCheck
    {
        private Task<HealthCheckResult>? _result;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            _result ??= ProbeAsync();

        private async Task<HealthCheckResult> ProbeAsync()
        {
            var versions = new List<string>();
            foreach (var tool in new[] { ffmpeg.FfmpegPath, ffmpeg.FfprobePath })
            {
                try
                {
                    var output = await ProcessRunner.RunAsync(tool, ["-version"], TimeSpan.FromSeconds(10));
                    versions.Add(output.Split('\n')[0].Split(" Copyright")[0]);
                }
                catch (Exception ex)
                {
                    return HealthCheckResult.Unhealthy($"{tool} does not run ({ex.Message}); install it: apt-get install ffmpeg");
                }
            }
            return HealthCheckResult.Healthy(string.Join("; ", versions));
        }
    }
}
