using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallReview.Tests.Transcription.Models;

/// <summary>
/// A stand-in for the model host on 127.0.0.1 (a free port): serves <c>/model.bin</c>, honouring Range requests
/// or not, and records what each request asked for and got.
/// </summary>
internal sealed class ModelServer : IAsyncDisposable
{
    public sealed record Request(string? Range, int Status);

    private readonly WebApplication _app;

    private ModelServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public static async Task<ModelServer> StartAsync(byte[] content, bool supportsRanges)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ModelServer? server = null;
        app.MapGet("/model.bin", (HttpContext http) =>
        {
            http.Response.OnStarting(() =>
            {
                server!.Requests.Enqueue(new Request(http.Request.Headers.Range.FirstOrDefault(), http.Response.StatusCode));
                return Task.CompletedTask;
            });
            return supportsRanges
                ? Results.File(content, "application/octet-stream", enableRangeProcessing: true)
                : Results.Bytes(content, "application/octet-stream");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new ModelServer(app, new Uri(new Uri(address), "/model.bin"));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
