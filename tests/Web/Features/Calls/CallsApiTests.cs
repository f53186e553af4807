using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// <c>POST /api/calls</c> and friends over real HTTP, with real ffprobe/ffmpeg and, for the end-to-end case,
/// the real worker running whisper.cpp with the trained tiny.en model.
/// </summary>
public sealed class CallsApiTests : IClassFixture<CallsApiTests.Fixture>
{
    public sealed class Fixture : CallReviewApp, IAsyncLifetime
    {
        public string ReviewerKey { get; private set; } = "";
        public string OutsiderKey { get; private set; } = "";
        public string LearnerKey { get; private set; } = "";

        public Fixture()
        {
            Settings["CallReview:Whisper:ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin");
            Settings["CallReview:Whisper:Threads"] = "2";
        }

        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            var blue = await admin.CreateTeamAsync("Blue");
            var green = await admin.CreateTeamAsync("Green");
            await admin.CreateUserAsync("rev@test.local", "Rev Iewer", "reviewer-pass-1", ["reviewer"], blue);
            await admin.CreateUserAsync("out@test.local", "Out Sider", "outsider-pass-1", ["reviewer"], green);
            await admin.CreateUserAsync("lea@test.local", "Lea Rner", "learner-pass-1", ["learner"], blue);
            using var scope = Services.CreateScope();
            var keys = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
            ReviewerKey = await keys.CreateAsync(await this.UserIdAsync("rev@test.local"), "test", default);
            OutsiderKey = await keys.CreateAsync(await this.UserIdAsync("out@test.local"), "test", default);
            LearnerKey = await keys.CreateAsync(await this.UserIdAsync("lea@test.local"), "test", default);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        public HttpClient WithKey(string key)
        {
            var client = NewClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            return client;
        }

        public Task RunWorkerUntilIdleAsync() =>
            Services.GetRequiredService<TranscriptionWorker>().RunAsync(stopWhenIdle: true, CancellationToken.None);
    }

    private readonly Fixture _app;

    public CallsApiTests(Fixture app) => _app = app;

    private static MultipartFormDataContent Upload(string path, params (string Name, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "file", Path.GetFileName(path));
        foreach (var (name, value) in fields)
            content.Add(new StringContent(value), name);
        return content;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Post_WithoutKey_Is401()
    {
        var response = await _app.NewClient().PostAsync("/api/calls", Upload(TestData.Audio("jfk.wav")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithWrongKey_Is401()
    {
        var response = await _app.WithKey("cr_not-a-real-key").PostAsync("/api/calls", Upload(TestData.Audio("jfk.wav")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_AsLearner_Is403()
    {
        var response = await _app.WithKey(_app.LearnerKey).PostAsync("/api/calls", Upload(TestData.Audio("junkchunk-16k.wav")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_TextFileNamedWav_Is422ProblemDetailsSayingWhy()
    {
        var path = Path.Combine(_app.DataDirectory, "notes.wav");
        await File.WriteAllTextAsync(path, "This is not a recording, just some notes someone renamed.");

        var response = await _app.WithKey(_app.ReviewerKey).PostAsync("/api/calls", Upload(path));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not a recording", (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_UnknownTeam_Is400NamingTheField()
    {
        var response = await _app.WithKey(_app.ReviewerKey).PostAsync("/api/calls", Upload(TestData.Audio("romana.wav"), ("team", "Nope")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("team", out _));
    }

    [Fact]
    public async Task Post_AgentOfAnotherTeam_Is400NamingTheField_AndStoresNothing()
    {
        var response = await _app.WithKey(_app.ReviewerKey).PostAsync("/api/calls", Upload(TestData.Audio("jfk.wav"), ("team", "Blue"), ("agent", "out@test.local")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("agent", out _));

        var noTeam = await _app.WithKey(_app.ReviewerKey).PostAsync("/api/calls", Upload(TestData.Audio("jfk.wav"), ("agent", "Out Sider")));
        Assert.Equal(HttpStatusCode.BadRequest, noTeam.StatusCode);
        Assert.True((await JsonAsync(noTeam)).GetProperty("errors").TryGetProperty("agent", out _));
    }

    [Fact]
    public async Task ValidKey_UnknownRouteWrongMethodOrContentType_Is404_405_415_NotUnauthorized()
    {
        var client = _app.WithKey(_app.ReviewerKey);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/no-such-thing")).StatusCode);
        var unknown = await client.GetAsync("/api/calls/1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PutAsync("/api/calls", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync("/api/categories")).StatusCode);
        var json = await client.PostAsync("/api/calls", new StringContent("{\"file\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.NewClient().GetAsync("/api/no-such-thing")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.WithKey("wrong-key").PutAsync("/api/calls", new StringContent("x"))).StatusCode);
    }

    [Fact]
    public async Task Post_SameAudioTwice_ReturnsTheExistingCall()
    {
        var client = _app.WithKey(_app.ReviewerKey);
        var first = await client.PostAsync("/api/calls", Upload(TestData.Audio("kennedy-stereo.wav"), ("team", "Blue"), ("layout", "agent-right")));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await JsonAsync(first)).GetProperty("id").GetInt32();

        var second = await client.PostAsync("/api/calls", Upload(TestData.Audio("kennedy-stereo.wav"), ("team", "Blue")));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await JsonAsync(second);
        Assert.Equal(id, body.GetProperty("id").GetInt32());
        Assert.True(body.GetProperty("existing").GetBoolean());
    }

    [Fact]
    public async Task Post_WithCustomerPhone_StoresItsDigits_SoAnAccessRequestFindsTheCall()
    {
        var posted = await _app.WithKey(_app.ReviewerKey).PostAsync("/api/calls", Upload(TestData.Audio("romana.wav"),
            ("team", "Blue"), ("externalRef", "CRM-981"), ("customerPhone", "+40 (721) 555-019")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await JsonAsync(posted)).GetProperty("id").GetInt32();

        var admin = await _app.AdminAsync();
        var found = await admin.GetStringAsync("/admin/requests?Phone=0721555019");

        Assert.Contains("1 call found", found);
        Assert.Contains($"href=\"/calls/{id}\"", found);
        Assert.Contains("40721555019", found);
        Assert.Contains("CRM-981", found);
    }

    [Fact]
    public async Task Post_ThenWorker_TranscribesAndServesStatusTranscriptAudioAndPeaks()
    {
        var client = _app.WithKey(_app.ReviewerKey);
        var posted = await client.PostAsync("/api/calls", Upload(TestData.Audio("jfk.mp3"),
            ("team", "Blue"), ("agent", "Sam Agent"), ("startedAt", "2026-11-20T09:30:00Z"), ("externalRef", "PBX-42")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var created = await JsonAsync(posted);
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal("queued", created.GetProperty("status").GetString());

        await _app.RunWorkerUntilIdleAsync();

        var status = await JsonAsync(await client.GetAsync($"/api/calls/{id}"));
        Assert.Equal("done", status.GetProperty("status").GetString());
        Assert.Equal(1.0, status.GetProperty("progress").GetDouble());
        Assert.InRange(status.GetProperty("durationSeconds").GetDouble(), 10.5, 11.5);
        Assert.Equal("en", status.GetProperty("language").GetString());

        var transcript = await JsonAsync(await client.GetAsync($"/api/calls/{id}/transcript"));
        var segments = transcript.GetProperty("segments").EnumerateArray().ToList();
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.Equal("speaker", s.GetProperty("speaker").GetString()));
        Assert.InRange(segments[0].GetProperty("start").GetDouble(), 0, 1.5);
        var text = string.Join(" ", segments.Select(s => s.GetProperty("text").GetString())).ToLowerInvariant();
        Assert.Contains("ask not what your country can do for you", text);

        var reviewer = await _app.SignedInAsync("rev@test.local", "reviewer-pass-1");
        var range = new HttpRequestMessage(HttpMethod.Get, $"/calls/{id}/audio");
        range.Headers.Range = new RangeHeaderValue(0, 99);
        var audio = await reviewer.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, audio.StatusCode);
        Assert.Equal("audio/mpeg", audio.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, (await audio.Content.ReadAsByteArrayAsync()).Length);
        var compressed = new HttpRequestMessage(HttpMethod.Get, $"/calls/{id}/peaks");
        compressed.Headers.AcceptEncoding.ParseAdd("gzip");
        Assert.Contains("gzip", (await reviewer.SendAsync(compressed)).Content.Headers.ContentEncoding);
        var peaks = await JsonAsync(await reviewer.GetAsync($"/calls/{id}/peaks"));
        Assert.Equal(1, peaks.GetProperty("channels").GetInt32());
        Assert.True(peaks.GetProperty("data")[0].GetArrayLength() > 1000);
    }

    [Fact]
    public async Task Get_CallOfAnotherTeam_Is404()
    {
        var posted = await _app.WithKey(_app.ReviewerKey).PostAsync("/api/calls", Upload(TestData.Audio("multichannel-3ch.wav"), ("team", "Blue")));
        var id = (await JsonAsync(posted)).GetProperty("id").GetInt32();

        var outsider = _app.WithKey(_app.OutsiderKey);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/calls/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/calls/{id}/transcript")).StatusCode);
    }

    [Fact]
    public async Task CookiePost_WithABadKeyInsteadOfTheToken_IsStillRefused()
    {
        var reviewer = await _app.SignedInAsync("rev@test.local", "reviewer-pass-1");
        reviewer.DefaultRequestHeaders.Add("X-Api-Key", "cr_forged");
        var response = await reviewer.PostAsync("/api/calls", Upload(TestData.Audio("junkchunk-16k.wav")));
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
    }

    [Fact]
    public async Task CookiePost_WithoutAntiforgeryHeader_Is400()
    {
        var reviewer = await _app.SignedInAsync("rev@test.local", "reviewer-pass-1");
        var response = await reviewer.PostAsync("/api/calls", Upload(TestData.Audio("junkchunk-16k.wav")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
