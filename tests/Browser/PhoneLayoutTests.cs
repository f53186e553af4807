using CallReview.Db;
using CallReview.Tests.Web;
using CallReview.Tests.Web.Features.Admin;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// Every page each role reaches, on a phone (390×844) in English and in Hebrew (right to left), on the demo data:
/// none of them scrolls sideways. A wide table may scroll inside its own box, never the page.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class PhoneLayoutTests(PhoneLayoutTests.App app) : IClassFixture<PhoneLayoutTests.App>
{
    private const string DemoPassword = "demo-password-1";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public IReadOnlyDictionary<string, string[]> Pages { get; private set; } = new Dictionary<string, string[]>();

        public async Task InitializeAsync()
        {
            await SeedDemoAsync();
            var db = Services.GetRequiredService<IDbConnectionFactory>();
            await using var connection = await db.OpenAsync();
            int Id(string email) => connection.ExecuteScalar<int>("SELECT Id FROM UserAccount WHERE Email = @email", new { email });
            var reviewer = Id("reviewer@demo.callreview.local");
            var learner = Id("learner@demo.callreview.local");
            var supervisor = Id("supervisor@demo.callreview.local");

            // A sample call (the history's calls have no recording), a calibration of the reviewer's team that every participant
            // has submitted (its comparison), and one waiting for the reviewer (blind work).
            var compared = await connection.ExecuteScalarAsync<int>(
                """
                SELECT MAX(p.SessionId) FROM CalibrationParticipant p
                JOIN CalibrationSession s ON s.Id = p.SessionId JOIN Call c ON c.Id = s.CallId JOIN TeamMember m ON m.TeamId = c.TeamId AND m.UserId = p.UserId
                WHERE p.UserId = @reviewer AND NOT EXISTS (SELECT 1 FROM CalibrationParticipant o WHERE o.SessionId = p.SessionId AND o.SubmittedAt IS NULL)
                """, new { reviewer });
            var call = await connection.ExecuteScalarAsync<int>("SELECT MIN(Id) FROM Call WHERE IsSample = 1");
            var open = await connection.ExecuteScalarAsync<int>(
                db.Dialect.InsertReturningId("CalibrationSession", "CallId, Title, CreatedByUserId, CreatedAt", "@call, 'Phone check', @supervisor, @now"),
                new { call, supervisor, now = DateTimeOffset.UtcNow });
            await connection.ExecuteAsync("INSERT INTO CalibrationParticipant (SessionId, UserId) VALUES (@open, @reviewer)", new { open, reviewer });

            var team = await connection.ExecuteScalarAsync<int>("SELECT MIN(Id) FROM Team");
            await connection.ExecuteAsync("UPDATE Team SET RetentionDays = 30 WHERE Id = @team", new { team });
            var reference = await connection.ExecuteScalarAsync<string>("SELECT MIN(ExternalRef) FROM Call");
            var exercise = await connection.ExecuteScalarAsync<int>("SELECT MIN(ExerciseId) FROM Attempt WHERE UserId = @learner", new { learner });
            var attempt = await connection.ExecuteScalarAsync<int>("SELECT MIN(Id) FROM Attempt WHERE UserId = @learner", new { learner });
            var reviewed = await connection.ExecuteScalarAsync<int>(
                "SELECT MIN(c.Id) FROM Call c WHERE c.AgentUserId = @learner AND EXISTS (SELECT 1 FROM ScorecardResult r WHERE r.CallId = c.Id)", new { learner });

            string[] calls = ["/calls", "/calls/upload", $"/calls/{call}", "/account", "/account/password"];
            string[] trends = ["/trends", $"/trends/agents/{learner}", "/trends/evidence?metric=unmet", "/trends/signals"];
            Pages = new Dictionary<string, string[]>
            {
                ["admin"] =
                [
                    .. calls, .. trends, "/admin/users", "/admin/users/new", $"/admin/users/{reviewer}", "/admin/teams", "/admin/apikeys",
                    "/admin/categories", "/admin/rubric", "/admin/names", "/admin/signals", "/admin/retention", $"/admin/retention/{team}/preview",
                    $"/admin/requests?Reference={Uri.EscapeDataString(reference!)}", "/admin/audit",
                ],
                ["reviewer"] =
                [
                    .. calls, "/review", "/review/search?q=refund", $"/review/{call}", "/exercises", $"/exercises/new?callId={call}",
                    $"/exercises/{exercise}", "/calibration", $"/calibration/{open}", $"/calibration/{compared}/results",
                ],
                ["supervisor"] = ["/calibration", $"/calibration/{compared}/results", "/reviews/disputes", .. trends],
                ["learner"] =
                [
                    "/practice", $"/practice/exercises/{exercise}", $"/practice/attempts/{attempt}", "/practice/leaderboard",
                    $"/practice/exercises/{exercise}/discussion", "/reviews/mine", $"/reviews/mine/{reviewed}", "/trends/me", "/account",
                ],
            };
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<string, string> RolesAndCultures => new()
    {
        { "admin", "en" }, { "admin", "he" }, { "reviewer", "en" }, { "reviewer", "he" },
        { "supervisor", "en" }, { "supervisor", "he" }, { "learner", "en" }, { "learner", "he" },
    };

    [Theory, MemberData(nameof(RolesAndCultures))]
    public async Task EveryPage_OnAPhone_DoesNotScrollSideways(string role, string culture)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var email = role == "admin" ? CallReviewApp.AdminEmail : $"{role}@demo.callreview.local";
        var page = await chromium.SignedInPageAsync(email, role == "admin" ? CallReviewApp.AdminPassword : DemoPassword);
        await Chromium.ChooseLanguageAsync(page, culture);
        await page.SetViewportSizeAsync(390, 844);

        var spills = new List<string>();
        foreach (var url in app.Pages[role])
        {
            if (await page.GotoAsync(url) is not { Ok: true })
            {
                spills.Add($"{url}: not shown");
                continue;
            }
            if (await page.Locator("[data-timeline]").CountAsync() > 0)
                await page.Locator("[data-timeline][data-ready=true]").First.WaitForAsync();
            await Chromium.ScreenshotAsync(page, $"phone-{role}-{culture}-{string.Concat(url.Split('/', '?', '=', '&')).Replace("%", "")}");
            // What spills, and the outermost elements sticking out of the screen on the side the page would scroll to.
            var spill = await page.EvaluateAsync<string?>("""
                () => {
                  const root = document.documentElement, width = root.clientWidth;
                  if (root.scrollWidth <= width) return null;
                  const rtl = getComputedStyle(root).direction === 'rtl';
                  const out = e => { const b = e.getBoundingClientRect(); return b.width > 0 && (rtl ? b.left < -0.5 : b.right > width + 0.5); };
                  const culprits = [...document.body.querySelectorAll('*')].filter(e => out(e) && !out(e.parentElement))
                    .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
                  return `${root.scrollWidth - width} px too wide (${culprits.slice(0, 5).join(', ')})`;
                }
                """);
            if (spill is not null)
                spills.Add($"{url}: {spill}");
        }
        Assert.True(spills.Count == 0, $"pages not shown or wider than a 390 px phone for {role} in {culture}:\n{string.Join('\n', spills)}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, InlineData(800), InlineData(1000)]
    public async Task Users_AboveThePhoneLayout_WrapALongAddressAndNameInsteadOfScrollingSideways(int width)
    {
        // Above 760 px the users table is a table again: one long address and name must wrap inside their cells.
        var admin = await app.AdminAsync();
        var email = $"{width}.{new string('a', 50)}@{new string('b', 60)}.{new string('c', 40)}.example";
        await admin.CreateUserAsync(email, $"{width}-Someone-With-A-Very-Long-Double-Barrelled-Name-That-Has-No-Spaces-At-All", "long-password-1", ["reviewer"]);

        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync("/admin/users");
        await page.GetByText(email[..20]).First.WaitForAsync();
        await Chromium.ScreenshotAsync(page, $"admin-users-long-email-{width}");
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the users page is {widths[0]} px wide in a {widths[1]} px window");
        chromium.AssertNoPolicyViolations();
    }
}
