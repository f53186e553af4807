using System.Net;
using System.Net.Http.Headers;
using CallReview.Transcription;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using CallReview.Tests.Web.Features.Admin;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>The upload page as a browser without JavaScript uses it: one multipart form with several files.</summary>
public sealed class UploadPageTests : IClassFixture<UploadPageTests.Fixture>
{
    public sealed class Fixture : CallReviewApp, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            var red = await admin.CreateTeamAsync("Red");
            await admin.CreateUserAsync("up@test.local", "Up Loader", "uploader-pass-1", ["reviewer"], red);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private readonly Fixture _app;

    public UploadPageTests(Fixture app) => _app = app;

    [Fact]
    public async Task Upload_GoodAndHostileFiles_QueuesTheGoodOneAndExplainsTheOther()
    {
        var client = await _app.SignedInAsync("up@test.local", "uploader-pass-1");
        var token = await client.TokenFromAsync("/calls/upload");
        var empty = Path.Combine(_app.DataDirectory, "empty.mp3");
        await File.WriteAllBytesAsync(empty, []);
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("agent-left"), "Layout" },
            { new StringContent("billing, escalation"), "Tags" },
        };
        foreach (var path in new[] { TestData.Audio("jfk.wav"), empty })
        {
            var file = new StreamContent(File.OpenRead(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            form.Add(file, "files", Path.GetFileName(path));
        }

        var response = await client.PostAsync("/calls/upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("queued for transcription", html);
        Assert.Contains("empty", html);
        var list = await client.GetStringAsync("/calls");
        Assert.Contains(">jfk</a>", list);
        Assert.Contains("queued", list);
    }

    [Fact]
    public async Task Retranscribe_WithAnotherLanguage_QueuesANewJob_AndCancelStopsIt()
    {
        var client = await _app.SignedInAsync("up@test.local", "uploader-pass-1");
        var token = await client.TokenFromAsync("/calls/upload");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new StreamContent(File.OpenRead(TestData.Audio("junkchunk-16k.wav"))), "files", "junkchunk-16k.wav");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var uploaded = System.Text.Json.JsonDocument.Parse(await (await client.PostAsync("/calls/upload", form)).Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Accept.Clear();
        var id = uploaded.RootElement[0].GetProperty("callId").GetInt32();

        var again = await client.PostFormAsync($"/calls/{id}/retranscribe", [new("language", "it")], $"/calls/{id}");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var page = await client.GetStringAsync($"/calls/{id}");
        Assert.Contains("queued", page);
        Assert.Contains("language it", page);

        var bad = await client.PostFormAsync($"/calls/{id}/retranscribe", [new("language", "klingon!")], $"/calls/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/calls/{id}/cancel", [], $"/calls/{id}")).StatusCode);
        Assert.Contains("cancelled", await client.GetStringAsync($"/calls/{id}"));

        // The refusal is a page in the reader's language, not a plain-text line in English.
        var romanian = await client.Speaking("ro").PostFormAsync($"/calls/{id}/retranscribe", [new("language", "klingon!")], $"/calls/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, romanian.StatusCode);
        Assert.Equal("text/html", romanian.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Cod de limbă necunoscut.", await romanian.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CallsList_ForAnotherTeamsReviewer_DoesNotShowTheCall()
    {
        var admin = await _app.AdminAsync();
        var other = await admin.CreateTeamAsync("Other");
        await admin.CreateUserAsync("else@test.local", "Some One", "someone-pass-1", ["reviewer"], other);
        var uploader = await _app.SignedInAsync("up@test.local", "uploader-pass-1");
        var token = await uploader.TokenFromAsync("/calls/upload");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new StreamContent(File.OpenRead(TestData.Audio("romana.wav"))), "files", "romana.wav");
        Assert.Equal(HttpStatusCode.OK, (await uploader.PostAsync("/calls/upload", form)).StatusCode);

        var someoneElse = await _app.SignedInAsync("else@test.local", "someone-pass-1");
        Assert.DoesNotContain("romana", await someoneElse.GetStringAsync("/calls"));
        Assert.Contains("romana", await uploader.GetStringAsync("/calls"));
    }
}

/// <summary>With no whisper model anywhere, the calls page says so and how to get one.</summary>
public sealed class MissingModelTests : IClassFixture<MissingModelTests.Fixture>
{
    public sealed class Fixture : CallReviewApp
    {
        public Fixture()
        {
            Settings["CallReview:Whisper:ModelPath"] = "/nonexistent/ggml-none.bin";
        }
    }

    private readonly Fixture _app;

    public MissingModelTests(Fixture app) => _app = app;

    [Fact]
    public async Task CallsPage_WithoutModel_ExplainsHowToGetOne()
    {
        var admin = await _app.AdminAsync();
        var html = await admin.GetStringAsync("/calls");
        Assert.Contains("not transcribed yet", html);
        Assert.Contains("models download", html);
    }

    [Fact]
    public async Task CallsPage_WithoutModel_RomanianReviewerReadsItInRomanian_OnlyAnAdminSeesWhereItLooked()
    {
        var admin = await _app.AdminAsync();
        await admin.CreateUserAsync("rada@test.local", "Rada Reviewer", "rada-pass-12", ["reviewer"], await admin.CreateTeamAsync("Bucharest"));
        var rada = await _app.SignedInAsync("rada@test.local", "rada-pass-12");

        var html = await Review.ContentNamesTests.PageAsync(rada, "/calls", "ro");

        Assert.Contains("Pe acest calculator nu este instalat niciun model de recunoaștere a vorbirii", html);
        Assert.DoesNotContain("ggml-none.bin", html);
        Assert.Contains("ggml-none.bin", await Review.ContentNamesTests.PageAsync(admin, "/calls", "ro"));
    }

    [Fact]
    public async Task Healthz_WithoutModel_IsDegradedAndSaysWhy()
    {
        var json = await _app.NewClient().GetStringAsync("/healthz");
        Assert.Contains("\"status\":\"Degraded\"", json);
        Assert.Contains("ggml-none.bin does not exist", json);
    }
}

/// <summary>The calls page does not read the model folders on every request, yet a model put there shows within seconds.</summary>
public sealed class ModelAddedTests : IClassFixture<ModelAddedTests.Fixture>, IDisposable
{
    public sealed class Fixture : CallReviewApp
    {
        public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

        public string ModelPath { get; } = Path.Combine(Directory.CreateTempSubdirectory("callreview-model-").FullName, "ggml-tiny.bin");

        public Fixture()
        {
            Settings["CallReview:Whisper:ModelPath"] = ModelPath;
        }

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    private readonly Fixture _app;

    public ModelAddedTests(Fixture app) => _app = app;

    [Fact]
    public async Task CallsPage_ModelAdded_ShowsWithinTheLookupsLifetime()
    {
        var admin = await _app.AdminAsync();
        Assert.Contains("models download", await admin.GetStringAsync("/calls"));

        await File.WriteAllBytesAsync(_app.ModelPath, [0]);
        var meanwhile = await admin.GetStringAsync("/calls");
        _app.Clock.Advance(ModelCatalog.FoundLifetime);
        var after = await admin.GetStringAsync("/calls");

        Assert.Contains("models download", meanwhile);
        Assert.DoesNotContain("models download", after);
    }

    public void Dispose() => File.Delete(_app.ModelPath);
}
