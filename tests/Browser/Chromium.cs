using CallReview.Tests.Web;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>The app on real Kestrel (a free port on 127.0.0.1), so a real browser can reach it.</summary>
public class KestrelApp : CallReviewApp
{
    private string? _baseUrl;

    /// <summary>http://127.0.0.1:port — starts the server on first use.</summary>
    public string BaseUrl
    {
        get
        {
            if (_baseUrl is null)
            {
                UseKestrel(0);
                StartServer();
                var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
                _baseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
            }
            return _baseUrl;
        }
    }

    /// <summary>Starts the server and loads the demo (users, sample calls, months of history), as <c>scripts/run.sh</c> does.</summary>
    public async Task SeedDemoAsync()
    {
        _ = BaseUrl;
        using var seed = Services.CreateScope();
        Assert.Equal(0, await seed.ServiceProvider.GetServices<ICliCommand>().Single(c => c.Name == "seed-demo").RunAsync([], CancellationToken.None));
    }

    /// <summary>
    /// A real socket client for setting data up through the pages: the factory's own client follows
    /// redirects on Kestrel whatever the options say, and the page helpers expect to see them.
    /// </summary>
    public override HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(BaseUrl) };
}

/// <summary>
/// Browser journeys run one at a time after the parallel tests, so their waits are not spent queueing for
/// the two cores behind whisper.cpp transcriptions.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserJourneys
{
    public const string Name = "browser journeys";
}

/// <summary>
/// Debian's chromium driven by Playwright: headless, no sandbox, no network chatter, a fresh profile per
/// session. Shared by the browser journeys (review, learning).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;
    private readonly List<string> _policyViolations = [];

    public IBrowserContext Context { get; }

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
        // The page reports what the Content-Security-Policy blocked through the init script LaunchAsync adds.
        foreach (var page in context.Pages)
            WatchPolicy(page);
        context.Page += (_, page) => WatchPolicy(page);
    }

    private void WatchPolicy(IPage page) => page.Console += (_, message) =>
    {
        if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            lock (_policyViolations)
                _policyViolations.Add($"{page.Url}: {message.Text}");
    };

    /// <summary>Fails when any page of this session had something blocked by the Content-Security-Policy.</summary>
    public void AssertNoPolicyViolations()
    {
        lock (_policyViolations)
            Assert.True(_policyViolations.Count == 0, string.Join('\n', _policyViolations));
    }

    public static async Task<Chromium> LaunchAsync(string baseUrl)
    {
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("callreview-chromium-").FullName;
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        // Generous: CI machines have two cores and the app transcribes on them too.
        context.SetDefaultTimeout(30_000);
        // Playwright does not relay Chromium's own "Refused to …" messages, so each page logs its violations itself.
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error(" +
            "'Content Security Policy violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        return new Chromium(playwright, context, profile);
    }

    public async Task<IPage> SignedInPageAsync(string email, string password)
    {
        var page = Context.Pages.FirstOrDefault() ?? await Context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync(url => !url.Contains("/account/login"));
        return page;
    }

    /// <summary>Picks the interface language on the account page (stored with the user) and waits for the page to speak it.</summary>
    public static async Task ChooseLanguageAsync(IPage page, string culture)
    {
        await page.GotoAsync("/account");
        await page.Locator("select[name=Language]").SelectOptionAsync(culture);
        await page.Locator("form[action='/account/language'] button[type=submit]").ClickAsync();
        await page.WaitForFunctionAsync($"() => document.documentElement.lang === '{culture}'");
    }

    /// <summary>Where journeys leave screenshots for people to look at (the folder survives the test run).</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(Path.GetTempPath(), "callreview-screenshots");

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png") });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
