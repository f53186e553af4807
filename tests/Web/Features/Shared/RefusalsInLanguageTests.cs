using System.Net;
using System.Net.Http.Headers;
using CallReview.Db;
using CallReview.Tests.Web.Infrastructure;
using CallReview.Web.Features.Accounts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// Refusals a person reads, in their language and where they can act on them: an upload's metadata over its limits, a
/// form's number out of range shown again beside its field (not a 400 before the form), the audio held back until
/// redaction has run.
/// </summary>
public sealed class RefusalsInLanguageTests(SeedDemoTests.Demo demo) : IClassFixture<SeedDemoTests.Demo>
{
    [Fact]
    public async Task Upload_CustomerPhoneTooLong_IsRefusedInRomanian_OnThePageAndToTheScript()
    {
        var reviewer = (await demo.AsAsync(AccountsDemoSeeder.ReviewerEmail)).Speaking("ro");

        foreach (var script in new[] { false, true })
        {
            var token = await reviewer.TokenFromAsync("/calls/upload");
            var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent(new string('4', 300)), "CustomerPhone" },
            };
            var file = new ByteArrayContent([1, 2, 3]);
            file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            form.Add(file, "files", "call.wav");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/calls/upload") { Content = form };
            if (script)
                request.Headers.Accept.ParseAdd("application/json");

            var response = await reviewer.SendAsync(request);

            var body = System.Text.RegularExpressions.Regex.Unescape(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
            Assert.Equal(script ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.OK, response.StatusCode);
            Assert.True(body.Contains("Telefonul clientului este prea lung: cel mult", StringComparison.Ordinal), body);
            Assert.DoesNotContain("is too long", body);
        }
    }

    [Fact]
    public async Task SignalSettings_OutOfRange_ShowsTheFormAgain_WithTheFieldsErrorInHebrew()
    {
        var admin = (await demo.AdminAsync()).Speaking("he");
        var team = await demo.QuerySingleAsync<int>("SELECT Id FROM Team WHERE Name = @n", new { n = AccountsDemoSeeder.BillingTeam });
        var page = $"/admin/signals?team={team}";

        var response = await admin.PostFormAsync("/admin/signals",
        [
            new("TeamId", team.ToString()), new("DeadAirSeconds", "99999"), new("HoldSeconds", "30"), new("HoldToneHz", "0"), new("TalkOverSeconds", "1"),
            new("BackchannelSeconds", "1"), new("AgentTalkPercent", "70"), new("AgentWordsPerMinute", "230"), new("MonologueSeconds", "60"),
            new("ReplyGapSeconds", "5"), new("RepeatOverlapPercent", "60"),
        ], page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"he\" dir=\"rtl\">", html);
        Assert.Matches("id=\"DeadAirSeconds\"[^>]*value=\"99999\"[^>]*aria-invalid=\"true\"", html);
        Assert.Contains("<span class=\"field-error\">השדה שניות של שקט מת חייב להיות בין 0.5 ל-600.</span>", html);
        Assert.Empty(EnglishPhrases.In(html, "he"));
        // Nothing was saved.
        Assert.DoesNotContain("value=\"99999\"", await admin.GetStringAsync(page));
    }

    [Fact]
    public async Task ExerciseBuilder_ToleranceOutOfRange_ShowsTheFormAgain_WithTheFieldsErrorInRomanian()
    {
        var reviewer = (await demo.AsAsync(AccountsDemoSeeder.ReviewerEmail)).Speaking("ro");
        var call = await demo.SampleAsync("Rimborso in ritardo");

        var response = await reviewer.PostFormAsync("/exercises/save",
            [new("Kind", "spot"), new("CallId", call.ToString()), new("Title", "Prea larg"), new("FullCreditSeconds", "99999999"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1")],
            $"/exercises/new?callId={call}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches("name=\"FullCreditSeconds\"[^>]*value=\"99999999\"[^>]*aria-invalid=\"true\"", html);
        Assert.Contains("<span class=\"field-error\">Punctaj întreg în ± secunde este în afara limitelor: cel mult 604800 secunde.</span>", html);
        Assert.Empty(EnglishPhrases.In(html, "ro"));
    }

    [Fact]
    public async Task Audio_BeforeRedaction_Is409_SayingWhyInHebrew()
    {
        var reviewer = (await demo.AsAsync(AccountsDemoSeeder.ReviewerEmail)).Speaking("he");
        var call = await demo.SampleAsync("Rimborso in ritardo");
        await using var connection = await demo.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var redactedAt = await connection.QuerySingleAsync<string>("SELECT RedactedAt FROM Recording WHERE CallId = @call", new { call });
        await connection.ExecuteAsync("UPDATE Recording SET RedactedAt = NULL WHERE CallId = @call", new { call });
        try
        {
            foreach (var media in new[] { "audio", "peaks" })
            {
                var response = await reviewer.GetAsync($"/calls/{call}/{media}");

                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Contains("השמע יהיה זמין לאחר התמלול וההשחרה.", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE Recording SET RedactedAt = @redactedAt WHERE CallId = @call", new { call, redactedAt });
        }
    }
}
