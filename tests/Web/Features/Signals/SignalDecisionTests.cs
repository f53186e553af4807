using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>Accepting and dismissing suggestions through the review page's htmx endpoints, with their role and team checks.</summary>
public sealed class SignalDecisionTests(SignalsFixture app) : IClassFixture<SignalsFixture>
{
    private Task<int> SignalAsync(int callId, string rule) =>
        app.ScalarAsync<int>("SELECT Id FROM CallSignal WHERE CallId = @callId AND RuleCode = @rule", new { callId, rule });

    [Fact]
    public async Task Lane_SaysRuleThresholdAndMeasuredValue()
    {
        var callId = await app.CallWithSignalsAsync("Lane");
        var rita = await app.As(ReviewFixture.Rita);
        Assert.Contains($"hx-get=\"/review/{callId}/signals\"", await rita.GetStringAsync($"/review/{callId}"));
        var lane = await rita.HtmxGetStringAsync($"/review/{callId}/signals");
        Assert.Contains("Dead air</strong> silence 7.4 s &gt; 3 s", lane);
        Assert.Contains("Talk-over</strong> overlap 2 s &gt; 1 s by the customer", lane);
        Assert.Contains("“speak to a manager” in the customer&#x27;s words", lane.Replace("'", "&#x27;"));
    }

    [Fact]
    public async Task Accept_BecomesAnUnmetNeedWithTheRulesCategoryAndTheCustomersWords_Once()
    {
        var callId = await app.CallWithSignalsAsync("Accept");
        var signal = await SignalAsync(callId, "frustration");
        var rita = await app.As(ReviewFixture.Rita);
        var page = $"/review/{callId}";

        // As the lane's form sends it: with the panel's cards (hx-include), none shown yet.
        var cards = Regex.Match(await rita.GetStringAsync(page), "id=\"annotations-cards\" name=\"cards\" value=\"(0\\.[0-9a-f]{16})\"").Groups[1].Value;
        Assert.NotEmpty(cards);
        var response = await rita.HtmxPostAsync($"{page}/signals/{signal}/accept", page, ("cards", cards));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"annotations\"", html);
        Assert.Matches("id=\"annotations-cards\" name=\"cards\" value=\"1\\.[0-9a-f]{16}\"", html);
        Assert.Contains("hx-swap-oob=\"true\"", html);
        Assert.Contains("accepted by Rita Reviewer", html);

        var annotation = await app.ScalarAsync<int>("SELECT AnnotationId FROM CallSignal WHERE Id = @signal", new { signal });
        Assert.Equal("complaint-mishandled", await app.ScalarAsync<string>("SELECT CategoryCode FROM Annotation WHERE Id = @annotation", new { annotation }));
        Assert.Equal("unmet", await app.ScalarAsync<string>("SELECT Kind FROM Annotation WHERE Id = @annotation", new { annotation }));
        Assert.Equal("No, I want to speak to a manager about it.", await app.ScalarAsync<string>("SELECT Quote FROM Annotation WHERE Id = @annotation", new { annotation }));
        // The phrase is placed where its words fall in the turn (15–19 s, 13 of 42 characters in).
        Assert.Equal(16238, await app.ScalarAsync<long>("SELECT StartMs FROM Annotation WHERE Id = @annotation", new { annotation }));

        // A second accept (another tab, another reviewer) makes no second annotation.
        var again = await (await rita.HtmxPostAsync($"{page}/signals/{signal}/accept", page)).Content.ReadAsStringAsync();
        Assert.Contains("already decided", again);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM Annotation WHERE CallId = @callId", new { callId }));
    }

    [Fact]
    public async Task AcceptedDeadAir_IsARangeOverTheSilence()
    {
        var callId = await app.CallWithSignalsAsync("Accept dead air");
        var signal = await SignalAsync(callId, "dead_air");
        var page = $"/review/{callId}";
        (await (await app.As(ReviewFixture.Rob)).HtmxPostAsync($"{page}/signals/{signal}/accept", page)).EnsureSuccessStatusCode();
        var annotation = await app.ScalarAsync<int>("SELECT AnnotationId FROM CallSignal WHERE Id = @signal", new { signal });
        Assert.Equal((6000L, 13400L, "timeliness"), (
            await app.ScalarAsync<long>("SELECT StartMs FROM Annotation WHERE Id = @annotation", new { annotation }),
            await app.ScalarAsync<long>("SELECT EndMs FROM Annotation WHERE Id = @annotation", new { annotation }),
            await app.ScalarAsync<string>("SELECT CategoryCode FROM Annotation WHERE Id = @annotation", new { annotation })));
        // Nobody speaks in dead air: the quote is the customer's last words before it.
        Assert.Equal("My invoice is wrong again.", await app.ScalarAsync<string>("SELECT Quote FROM Annotation WHERE Id = @annotation", new { annotation }));
    }

    [Fact]
    public async Task Dismiss_IsKept_AndARerunDoesNotSuggestItAgain()
    {
        var callId = await app.CallWithSignalsAsync("Dismiss");
        var signal = await SignalAsync(callId, "talk_over");
        var page = $"/review/{callId}";
        var lane = await (await (await app.As(ReviewFixture.Sue)).HtmxPostAsync($"{page}/signals/{signal}/dismiss", page)).Content.ReadAsStringAsync();
        Assert.Contains("dismissed by Sue Supervisor", lane);

        await app.ComputeAsync(callId);

        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @callId AND RuleCode = 'talk_over'", new { callId }));
        Assert.Equal("dismissed", await app.ScalarAsync<string>("SELECT Status FROM CallSignal WHERE Id = @signal", new { signal }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM Annotation WHERE CallId = @callId", new { callId }));
    }

    [Fact]
    public async Task Decisions_RefusedToLearnersOtherTeamsAndWithoutAntiforgery()
    {
        var callId = await app.CallWithSignalsAsync("Refusals");
        var signal = await SignalAsync(callId, "dead_air");
        var url = $"/review/{callId}/signals/{signal}/accept";
        var leo = await app.As(ReviewFixture.Leo);
        var learner = await leo.HtmxPostAsync(url, "/account/password");
        Assert.Contains(learner.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.Redirect });
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.As(ReviewFixture.Sam)).HtmxPostAsync(url, "/review")).StatusCode);
        var rita = await app.As(ReviewFixture.Rita);
        Assert.Equal(HttpStatusCode.BadRequest, (await rita.PostAsync(url, new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal("suggested", await app.ScalarAsync<string>("SELECT Status FROM CallSignal WHERE Id = @signal", new { signal }));
    }
}
