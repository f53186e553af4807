using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>A learner does today's practice in a real browser: opens the exercise, pins a moment, submits, sees the expert's pin and the score.</summary>
[Collection(BrowserJourneys.Name)]
public sealed class PracticeJourneyTests(PracticeJourneyTests.App app) : IClassFixture<PracticeJourneyTests.App>
{
    private const string Password = "practice-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int ExerciseId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Green");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", Password, ["reviewer"], team);
            await admin.CreateUserAsync("lena@test.local", "Lena Learner", Password, ["learner"], team);
            var callId = await this.InsertCallAsync("Refund call", team, null, withAudio: true);
            var reviewerId = await this.UserIdAsync("rae@test.local");
            var annotation = await this.InsertAnnotationAsync(callId, reviewerId, "unmet", 18_000, 21_000, "no-ownership", "Refunds take time", "Own the refund and give a date.");
            var rae = await SignedInAsync("rae@test.local", Password);
            ExerciseId = await rae.SaveExerciseAsync(
            [
                new("Kind", "spot"), new("CallId", callId.ToString()), new("Title", "Spot the brush-off"), new("AnswerIds", annotation.ToString()),
                new("ShowTranscript", "true"), new("FullCreditSeconds", "4"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1"),
                new("ModelAnswer", "The agent should have owned the refund."), new("CritiqueMinChars", "20"), new("TeamIds", team.ToString()), new("Publish", "true"),
            ]);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Learner_PinsAMomentAndSubmits_SeesTheExpertsPinAndTheScore()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("lena@test.local", Password);

        await page.GotoAsync("/practice");
        await Axe.AssertAccessibleAsync(page);
        await page.Locator("[data-queue] a", new() { HasText = "Spot the brush-off" }).ClickAsync();
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await Axe.AssertAccessibleAsync(page);
        Assert.Equal(0, await page.Locator("[data-marker-id]").CountAsync());

        await page.Locator(".turn[data-start='17.5']").ClickAsync();
        await page.WaitForFunctionAsync("() => Math.abs(document.querySelector('[data-timeline]').timeline.currentTime() - 17.5) < 0.3");
        await page.Keyboard.PressAsync("p");
        var pin = page.Locator("[data-pin-list] li.pin");
        await pin.WaitForAsync();
        await page.Locator("[data-marker-id^='pin-']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await pin.Locator("select").SelectOptionAsync("no-ownership");
        await page.Locator("textarea[name=Critique]").FillAsync("The agent brushed off the refund and owned nothing.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();

        await page.WaitForPageAsync(url => url.Contains("/practice/attempts/"));
        Assert.Equal("100", await page.Locator("[data-score]").GetAttributeAsync("data-score"));
        Assert.Contains("No ownership / follow-up", await page.Locator(".answers li.found").InnerTextAsync());
        Assert.Contains("The agent should have owned the refund.", await page.Locator(".model-answer").InnerTextAsync());
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await page.Locator("[data-marker-id^='answer-']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-marker-id^='pin-']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // The expert's and the learner's pins are half a second apart: their labels must not print over each other.
        await MarkerLabels.AssertApartAsync(page, expected: 2);
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, "result-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await MarkerLabels.AssertApartAsync(page, expected: 2);
        await Chromium.ScreenshotAsync(page, "result-phone");

        // A long name without spaces must wrap inside the leaderboard's card, not push the table out of it.
        await page.GotoAsync("/practice/leaderboard");
        await Axe.AssertAccessibleAsync(page);
        await page.Locator(".leaderboard tr.me td:nth-child(2)").EvaluateAsync("td => td.textContent = 'lena.featherstonehaugh-worthington@test.local (you)'");
        var overflow = await page.Locator(".leaderboard").EvaluateAsync<double>(
            "table => table.getBoundingClientRect().right - table.closest('.card').getBoundingClientRect().right");
        await Chromium.ScreenshotAsync(page, "leaderboard-phone");
        Assert.True(overflow <= 0, $"the leaderboard sticks {overflow}px out of its card");
        chromium.AssertNoPolicyViolations();
    }
}
