using System.Net;
using System.Net.Http.Headers;
using CallReview.Db;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Api;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web;

/// <summary>The app with the trained tiny.en model for calls a test renders, uploads through the API and has the real worker transcribe.</summary>
public abstract class TranscribingApp : CallReviewApp
{
    protected TranscribingApp()
    {
        Settings["CallReview:Whisper:ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin");
        Settings["CallReview:Whisper:Threads"] = "2";
        Settings["CallReview:Whisper:Language"] = "en";
    }

    /// <summary>Posts a stereo WAV (agent left) to <c>POST /api/calls</c> with an API key of <paramref name="email"/>; the new call's id.</summary>
    public async Task<int> UploadThroughApiAsync(string email, string path, string team)
    {
        string key;
        using (var scope = Services.CreateScope())
            key = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().CreateAsync(await this.UserIdAsync(email), "test", default);
        using var client = NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var content = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        content.Add(file, "file", Path.GetFileName(path));
        content.Add(new StringContent(team), "team");
        content.Add(new StringContent("agent-left"), "layout");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/calls", content)).StatusCode);
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT MAX(Id) FROM Call");
    }
}
