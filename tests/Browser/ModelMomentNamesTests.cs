using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// A model moment is named by the need that was met ("Empathy"), never by the failure ("No empathy"): on the
/// review page, in the annotation form, and in the learner's "what great looks like" exercise and its result.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class ModelMomentNamesTests(ModelMomentNamesTests.App app) : IClassFixture<ModelMomentNamesTests.App>
{
    private const string Password = "moments-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int CallId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Green");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", Password, ["reviewer"], team);
            await admin.CreateUserAsync("lena@test.local", "Lena Learner", Password, ["learner"], team);
            CallId = await this.InsertCallAsync("Kind call", team, null, withAudio: true);
            var rae = await this.UserIdAsync("rae@test.local");
            var moment = await this.InsertAnnotationAsync(CallId, rae, "exemplary", 9_500, 12_000, "no-empathy", "I have been waiting for a refund for a month", "Named the wait and said sorry.");
            var reviewer = await SignedInAsync("rae@test.local", Password);
            await reviewer.SaveExerciseAsync(
            [
                new("Kind", "exemplary"), new("CallId", CallId.ToString()), new("Title", "Great empathy"), new("AnswerIds", moment.ToString()),
                new("ShowTranscript", "true"), new("FullCreditSeconds", "4"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1"),
                new("ModelAnswer", "The agent named the wait."), new("CritiqueMinChars", "10"), new("TeamIds", team.ToString()), new("Publish", "true"),
            ]);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Reviewer_SeesTheMetNeed_OnTheModelMomentAndInTheForm()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.GotoAsync($"/review/{app.CallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        var item = page.Locator("#annotations li.annotation");
        Assert.Contains("Empathy", await item.InnerTextAsync());
        Assert.DoesNotContain("No empathy", await item.InnerTextAsync());
        Assert.EndsWith("Empathy", await page.Locator(".marker-label").GetAttributeAsync("aria-label"));

        await page.Keyboard.PressAsync("m");
        var form = page.Locator("#annotation-form-slot form.annotation-form");
        await form.WaitForAsync();
        await form.GetByRole(AriaRole.Radio, new() { Name = "Model moment" }).CheckAsync();
        Assert.Contains("Active listening", await form.Locator("select[name=category]").InnerTextAsync());
        await form.GetByRole(AriaRole.Radio, new() { Name = "Unmet need" }).CheckAsync();
        Assert.Contains("Not listening / interrupting", await form.Locator("select[name=category]").InnerTextAsync());
    }

    [Fact]
    public async Task Learner_PicksAndSeesTheMetNeed_InAWhatGreatLooksLikeExercise()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("lena@test.local", Password);
        await page.GotoAsync("/practice");
        await page.Locator("[data-queue] a", new() { HasText = "Great empathy" }).ClickAsync();
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        await page.Locator(".turn[data-start='9.5']").ClickAsync();
        await page.WaitForFunctionAsync("() => Math.abs(document.querySelector('[data-timeline]').timeline.currentTime() - 9.5) < 0.3");
        await page.Keyboard.PressAsync("p");
        var select = page.Locator("[data-pin-list] li.pin select");
        await select.WaitForAsync();
        var options = await select.InnerTextAsync();
        Assert.Contains("Empathy", options);
        Assert.DoesNotContain("No empathy", options);
        await select.SelectOptionAsync("no-empathy");
        await page.Locator("textarea[name=Critique]").FillAsync("She named the wait and apologised.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();

        await page.WaitForPageAsync(url => url.Contains("/practice/attempts/"));
        var body = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Empathy", body);
        Assert.DoesNotContain("No empathy", body);
        await Axe.AssertAccessibleAsync(page);
    }
}
