using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Api;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web;

/// <summary>
/// Every endpoint the app maps, discovered from its <see cref="EndpointDataSource"/>, requested as anonymous, learner,
/// reviewer, supervisor, admin and a user of another team (who holds every role but admin), against one table of
/// expected outcomes. Ids in the URLs are the North team's call, annotations, exercise, attempt, post, calibration
/// session, scorecard and dispute, so the outsider's column is the object-level check. A new endpoint without a row
/// fails the test; so does a row whose endpoint is gone.
/// </summary>
public sealed class EndpointAccessTests(EndpointAccessTests.Fixture app) : IClassFixture<EndpointAccessTests.Fixture>
{
    /// <summary>
    /// Outcomes: a status code; <c>login</c> (redirect to sign-in, or 401); <c>denied</c> (redirect to the access-denied
    /// page, or 403); <c>ok</c> (let through: 2xx, 3xx elsewhere, or 400 for the empty input these requests send).
    /// </summary>
    private sealed record Row(string Method, string Pattern, Func<Fixture, string> Url, string Expected, Func<Fixture, HttpContent>? Body = null)
    {
        public string Key => $"{Method} {Pattern}";
        public string[] Outcomes => Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static readonly string[] Roles = ["anonymous", "learner", "reviewer", "supervisor", "admin", "outsider"];

    //                                                                                   anonymous learner reviewer supervisor admin outsider
    private static readonly Row[] Table =
    [
        new("GET", "", _ => "/", "login 302 302 302 302 302"),
        new("GET", "error", _ => "/error", "404 404 404 404 404 404"),
        new("GET", "status/{code:int}", _ => "/status/404", "404 404 404 404 404 404"),
        new("GET", "healthz", _ => "/healthz", "200 200 200 200 200 200"),
        new("GET", "account/login", _ => "/account/login", "200 200 200 200 200 200"),
        new("GET", "account/denied", _ => "/account/denied", "denied denied denied denied denied denied"),
        new("GET", "account/password", _ => "/account/password", "login 200 200 200 200 200"),
        new("GET", "account", _ => "/account", "login 200 200 200 200 200"),

        new("GET", "admin/apikeys", _ => "/admin/apikeys", "login denied denied denied 200 denied"),
        new("GET", "admin/teams", _ => "/admin/teams", "login denied denied denied 200 denied"),
        new("GET", "admin/users", _ => "/admin/users", "login denied denied denied 200 denied"),
        new("GET", "admin/names", _ => "/admin/names", "login denied denied denied 200 denied"),
        new("GET", "admin/audit", _ => "/admin/audit", "login denied denied denied 200 denied"),
        new("GET", "admin/audit/export.csv", _ => "/admin/audit/export.csv", "login denied denied denied 200 denied"),
        new("GET", "admin/users/new", _ => "/admin/users/new", "login denied denied denied 200 denied"),
        new("GET", "admin/users/{id:int}", f => $"/admin/users/{f.LeoId}", "login denied denied denied 200 denied"),
        new("GET", "admin/categories", _ => "/admin/categories", "login denied denied denied 200 denied"),
        new("GET", "admin/rubric", _ => "/admin/rubric", "login denied denied denied 200 denied"),
        new("GET", "admin/signals", f => $"/admin/signals?team={f.North}", "login denied denied denied 200 denied"),
        new("GET", "admin/retention", _ => "/admin/retention", "login denied denied denied 200 denied"),
        // North keeps its calls forever: there is no period to preview.
        new("GET", "admin/retention/{teamId:int}/preview", f => $"/admin/retention/{f.North}/preview", "login denied denied denied 404 denied"),
        new("GET", "admin/requests", _ => "/admin/requests?Reference=none", "login denied denied denied 200 denied"),
        // No call has that reference: nothing to export.
        new("GET", "admin/requests/export.zip", _ => "/admin/requests/export.zip?Reference=none", "login denied denied denied 404 denied"),

        new("GET", "api/categories", _ => "/api/categories", "login 200 200 200 200 200"),
        new("GET", "api/calls/{id:int}", f => $"/api/calls/{f.Call}", "login 200 200 200 200 404"),
        new("GET", "api/calls/{id:int}/transcript", f => $"/api/calls/{f.Call}/transcript", "login 200 200 200 200 404"),
        new("GET", "api/calls/{id:int}/signals", f => $"/api/calls/{f.Call}/signals", "login 200 200 200 200 404"),
        new("GET", "api/calls/{callId:int}/annotations", f => $"/api/calls/{f.Call}/annotations", "login denied 200 200 denied 404"),

        new("GET", "calls", _ => "/calls", "login denied 200 200 200 200"),
        new("GET", "calls/upload", _ => "/calls/upload", "login denied 200 200 200 200"),
        new("GET", "calls/{id:int}", f => $"/calls/{f.Call}", "login denied 200 200 200 404"),
        new("GET", "calls/{id:int}/status", f => $"/calls/{f.Call}/status", "login denied 200 200 200 404"),
        new("GET", "calls/{id:int}/audio", f => $"/calls/{f.Call}/audio", "login 200 200 200 200 404"),
        new("GET", "calls/{id:int}/peaks", f => $"/calls/{f.Call}/peaks", "login 200 200 200 200 404"),

        new("GET", "review", _ => "/review", "login denied 200 200 denied 200"),
        new("GET", "review/search", _ => "/review/search?q=refund", "login denied 200 200 denied 200"),
        new("GET", "review/{callId:int}", f => $"/review/{f.Call}", "login denied 200 200 denied 404"),
        new("GET", "review/{callId:int}/transcript", f => $"/review/{f.Call}/transcript?chunk=0", "login denied 200 200 denied 404"),
        // The panel is an htmx fragment: without htmx it sends the browser to the page.
        new("GET", "review/{callId:int}/annotations", f => $"/review/{f.Call}/annotations", "login denied 302 302 denied 404"),
        new("GET", "review/{callId:int}/annotations/new", f => $"/review/{f.Call}/annotations/new?start=5", "login denied 200 200 denied 404"),
        new("GET", "review/{callId:int}/annotations/{id:int}/edit", f => $"/review/{f.Call}/annotations/{f.Annotation}/edit", "login denied 200 200 denied 404"),
        new("GET", "review/{callId:int}/annotations/{id:int}/history", f => $"/review/{f.Call}/annotations/{f.Annotation}/history", "login denied 200 200 denied 404"),

        new("GET", "review/{callId:int}/signals", f => $"/review/{f.Call}/signals", "login denied 302 302 denied 404"),

        new("GET", "calibration", _ => "/calibration", "login denied 200 200 denied 200"),
        new("GET", "calibration/{sessionId:int}", f => $"/calibration/{f.Session}", "login denied 200 200 denied 404"),
        new("GET", "calibration/{sessionId:int}/results", f => $"/calibration/{f.Session}/results", "login denied 200 200 denied 404"),
        new("GET", "calibration/{sessionId:int}/annotations", f => $"/calibration/{f.Session}/annotations", "login denied 302 302 denied 404"),
        new("GET", "calibration/{sessionId:int}/annotations/new", f => $"/calibration/{f.Session}/annotations/new?start=5", "login denied 200 200 denied 404"),
        // The reviewer's own pin in the session; the supervisor is a participant too, and blind to it.
        new("GET", "calibration/{sessionId:int}/annotations/{id:int}/edit", f => $"/calibration/{f.Session}/annotations/{f.SessionPin}/edit", "login denied 200 404 denied 404"),
        new("GET", "calibration/{sessionId:int}/annotations/{id:int}/history", f => $"/calibration/{f.Session}/annotations/{f.SessionPin}/history", "login denied 200 404 denied 404"),

        new("GET", "exercises", _ => "/exercises", "login denied 200 200 denied 200"),
        new("GET", "exercises/new", f => $"/exercises/new?callId={f.Call}", "login denied 200 200 denied 404"),
        new("GET", "exercises/{id:int}", f => $"/exercises/{f.Exercise}", "login denied 200 200 denied 404"),

        new("GET", "practice", _ => "/practice", "login 200 denied denied denied 200"),
        new("GET", "practice/leaderboard", _ => "/practice/leaderboard", "login 200 denied denied denied 200"),
        new("GET", "practice/exercises/{id:int}", f => $"/practice/exercises/{f.Exercise}", "login 200 denied denied denied 404"),
        new("GET", "practice/exercises/{id:int}/audio", f => $"/practice/exercises/{f.Exercise}/audio?side=a", "login 200 denied denied denied 404"),
        new("GET", "practice/exercises/{id:int}/peaks", f => $"/practice/exercises/{f.Exercise}/peaks?side=a", "login 200 denied denied denied 404"),
        new("GET", "practice/attempts/{id:int}", f => $"/practice/attempts/{f.Attempt}", "login 200 denied denied denied 404"),
        new("GET", "practice/exercises/{id:int}/discussion", f => $"/practice/exercises/{f.Exercise}/discussion", "login 200 200 200 404 404"),

        new("GET", "reviews/mine", _ => "/reviews/mine", "login 200 denied denied denied 200"),
        new("GET", "reviews/mine/{callId:int}", f => $"/reviews/mine/{f.Call}", "login 200 denied denied denied 404"),
        new("GET", "reviews/disputes", _ => "/reviews/disputes", "login denied denied 200 denied 200"),

        new("GET", "trends", f => $"/trends?team={f.North}", "login denied denied 200 200 404"),
        new("GET", "trends/evidence", f => $"/trends/evidence?metric=unmet&team={f.North}", "login 404 404 200 200 404"),
        new("GET", "trends/export.csv", f => $"/trends/export.csv?team={f.North}", "login denied denied 200 200 404"),
        new("GET", "trends/annotations.csv", f => $"/trends/annotations.csv?team={f.North}", "login denied denied 200 200 404"),
        new("GET", "trends/agents/{id:int}", f => $"/trends/agents/{f.LeoId}", "login 200 404 200 200 404"),
        new("GET", "trends/signals", f => $"/trends/signals?team={f.North}", "login denied denied 302 302 404"),
        new("GET", "trends/me", _ => "/trends/me", "login 302 302 302 302 302"),

        // Changes: empty or harmless input; what matters is who is let through.
        new("POST", "account/login", _ => "/account/login", "ok ok ok ok ok ok"),
        new("POST", "account/password", _ => "/account/password", "login ok ok ok ok ok"),
        new("POST", "account/language", _ => "/account/language", "login ok ok ok ok ok"),
        new("POST", "admin/apikeys", _ => "/admin/apikeys", "login denied denied denied ok denied"),
        new("POST", "admin/apikeys/{id:int}/revoke", f => $"/admin/apikeys/{f.ApiKey}/revoke", "login denied denied denied ok denied"),
        new("POST", "admin/teams", _ => "/admin/teams", "login denied denied denied ok denied"),
        new("POST", "admin/users/save", _ => "/admin/users/save", "login denied denied denied ok denied"),
        new("POST", "admin/categories", _ => "/admin/categories", "login denied denied denied ok denied"),
        new("POST", "admin/names", _ => "/admin/names", "login denied denied denied ok denied"),
        new("POST", "admin/rubric", _ => "/admin/rubric", "login denied denied denied ok denied"),
        new("POST", "admin/signals", _ => "/admin/signals", "login denied denied denied ok denied"),
        new("POST", "admin/signals/rerun", f => $"/admin/signals/rerun?team={f.North}", "login denied denied denied ok denied"),
        new("POST", "admin/retention/{teamId:int}", f => $"/admin/retention/{f.North}", "login denied denied denied ok denied"),
        new("POST", "admin/retention/{teamId:int}/confirm", f => $"/admin/retention/{f.North}/confirm", "login denied denied denied ok denied"),
        new("POST", "admin/requests/erase", _ => "/admin/requests/erase", "login denied denied denied ok denied"),

        new("POST", "api/calls", _ => "/api/calls", "login denied 400 400 400 400", _ => new MultipartFormDataContent { { new StringContent("x"), "team" } }),
        new("POST", "api/calls/{callId:int}/annotations", f => $"/api/calls/{f.Call}/annotations", "login denied 400 400 denied 404", _ => Json("{}")),
        new("PUT", "api/calls/{callId:int}/annotations/{annotationId:int}", f => $"/api/calls/{f.Call}/annotations/{f.Annotation}", "login denied 400 400 denied 404", _ => Json("{}")),

        new("POST", "calls/upload", _ => "/calls/upload", "login denied ok ok ok ok"),
        new("POST", "calls/{id:int}/retranscribe", f => $"/calls/{f.Call}/retranscribe", "login denied ok ok ok 404", _ => Form("language=auto")),
        new("POST", "calls/{id:int}/cancel", f => $"/calls/{f.Call}/cancel", "login denied ok ok ok 404"),

        new("POST", "review/{callId:int}/scorecard", f => $"/review/{f.Call}/scorecard", "login denied ok ok denied 404"),
        new("POST", "review/{callId:int}/annotations", f => $"/review/{f.Call}/annotations", "login denied ok ok denied 404"),
        new("POST", "review/{callId:int}/annotations/{id:int}", f => $"/review/{f.Call}/annotations/{f.Annotation}", "login denied ok ok denied 404"),

        new("POST", "review/{callId:int}/signals/{id:int}/accept", f => $"/review/{f.Call}/signals/{f.Signal}/accept", "login denied ok ok denied 404"),
        new("POST", "review/{callId:int}/signals/{id:int}/dismiss", f => $"/review/{f.Call}/signals/{f.Signal}/dismiss", "login denied ok ok denied 404"),

        new("POST", "calibration", _ => "/calibration", "login denied denied ok denied ok"),
        new("POST", "calibration/{sessionId:int}/scorecard", f => $"/calibration/{f.Session}/scorecard", "login denied ok ok denied 404"),
        new("POST", "calibration/{sessionId:int}/annotations", f => $"/calibration/{f.Session}/annotations", "login denied ok ok denied 404"),
        new("POST", "calibration/{sessionId:int}/annotations/{id:int}", f => $"/calibration/{f.Session}/annotations/{f.SessionPin}", "login denied ok 404 denied 404"),

        new("POST", "exercises/save", f => $"/exercises/save", "login denied ok ok denied 404",
            f => Form($"Id={f.Exercise}&Title=Spot+it&Publish=true&TeamIds={f.North}&ShowTranscript=true&FullCreditSeconds=4&ZeroCreditSeconds=15&Difficulty=1&CritiqueMinChars=0")),
        new("POST", "exercises/{id:int}/assign", f => $"/exercises/{f.Exercise}/assign", "login denied denied ok denied 404", f => Form($"TeamId={f.North}&Due=2099-01-01")),
        new("POST", "exercises/certifications", _ => "/exercises/certifications", "login denied denied ok denied ok"),

        new("POST", "practice/exercises/{id:int}", f => $"/practice/exercises/{f.Exercise}", "login ok denied denied denied 404"),
        new("POST", "practice/preferences", _ => "/practice/preferences", "login ok denied denied denied ok"),
        new("POST", "practice/exercises/{id:int}/discussion", f => $"/practice/exercises/{f.Exercise}/discussion", "login ok ok ok 404 404"),
        new("POST", "practice/posts/{id:int}/react", f => $"/practice/posts/{f.Post}/react", "login ok ok ok 404 404", _ => Form("reaction=helpful")),
        new("POST", "practice/posts/{id:int}/pin", f => $"/practice/posts/{f.Post}/pin", "login 404 404 ok 404 404"),

        new("POST", "reviews/mine/{callId:int}/acknowledge", f => $"/reviews/mine/{f.Call}/acknowledge", "login ok denied denied denied 404"),
        new("POST", "reviews/mine/{callId:int}/disputes", f => $"/reviews/mine/{f.Call}/disputes", "login ok denied denied denied 404",
            f => Form($"ResultId={f.Scorecard}&CriterionId={f.Criterion}&Comment=Disagree")),
        new("POST", "reviews/disputes/{disputeId:int}/resolve", f => $"/reviews/disputes/{f.Dispute}/resolve", "login denied denied ok denied 404"),

        // Deleting and submitting last (the supervisor goes before the reviewer in changes, see RolesForChanges).
        new("DELETE", "api/calls/{callId:int}/annotations/{annotationId:int}", f => $"/api/calls/{f.Call}/annotations/{f.DoomedByApi}", "login denied 404 204 denied 404"),
        new("POST", "review/{callId:int}/annotations/{id:int}/delete", f => $"/review/{f.Call}/annotations/{f.DoomedByPage}/delete", "login denied 404 302 denied 404"),
        new("POST", "calibration/{sessionId:int}/annotations/{id:int}/delete", f => $"/calibration/{f.Session}/annotations/{f.SessionPin}/delete", "login denied 302 404 denied 404"),
        new("POST", "calibration/{sessionId:int}/submit", f => $"/calibration/{f.Session}/submit", "login denied 302 302 denied 404"),
        new("POST", "account/logout", _ => "/account/logout", "login login login login login login"),
    ];

    /// <summary>Changes are made by those who should be refused first, so an allowed change cannot hide a refusal.</summary>
    private static readonly string[] RolesForChanges = ["anonymous", "outsider", "learner", "admin", "supervisor", "reviewer"];

    public sealed class Fixture : CallReviewApp, IAsyncLifetime
    {
        public const string Leo = "leo@test.local", Rita = "rita@test.local", Sue = "sue@test.local", Olga = "olga@test.local";
        public const string Password = "access-pass-123";

        public int North { get; private set; }
        public int LeoId { get; private set; }
        public int Call { get; private set; }
        public int Annotation { get; private set; }
        public int DoomedByApi { get; private set; }
        public int DoomedByPage { get; private set; }
        public int Exercise { get; private set; }
        public int Attempt { get; private set; }
        public int Post { get; private set; }
        public int Scorecard { get; private set; }
        public int Criterion { get; private set; }
        public int Dispute { get; private set; }
        public int Session { get; private set; }
        public int SessionPin { get; private set; }
        public int ApiKey { get; private set; }
        public int Signal { get; private set; }
        public Dictionary<string, HttpClient> Clients { get; } = new();

        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            North = await admin.CreateTeamAsync("North");
            var south = await admin.CreateTeamAsync("South");
            await admin.CreateUserAsync(Leo, "Leo Learner", Password, ["learner"], North);
            await admin.CreateUserAsync(Rita, "Rita Reviewer", Password, ["reviewer"], North);
            await admin.CreateUserAsync(Sue, "Sue Supervisor", Password, ["supervisor"], North);
            await admin.CreateUserAsync(Olga, "Olga Outsider", Password, ["reviewer", "supervisor", "learner"], south);
            LeoId = await this.UserIdAsync(Leo);
            var ritaId = await this.UserIdAsync(Rita);
            Clients["anonymous"] = NewClient();
            Clients["learner"] = await SignedInAsync(Leo, Password);
            Clients["reviewer"] = await SignedInAsync(Rita, Password);
            Clients["supervisor"] = await SignedInAsync(Sue, Password);
            Clients["admin"] = admin;
            Clients["outsider"] = await SignedInAsync(Olga, Password);
            var (leo, rita, sue) = (Clients["learner"], Clients["reviewer"], Clients["supervisor"]);

            Call = await this.InsertCallAsync("North call", North, LeoId, withAudio: true);
            Annotation = await this.InsertAnnotationAsync(Call, ritaId, "unmet", 13_000, null, "no-empathy", "A month of waiting", "Acknowledge the wait");
            DoomedByApi = await this.InsertAnnotationAsync(Call, ritaId, "unmet", 20_000, null, "rude-tone", "q", "e");
            DoomedByPage = await this.InsertAnnotationAsync(Call, ritaId, "unmet", 25_000, null, "rude-tone", "q", "e");
            Exercise = await rita.SaveExerciseAsync(
            [
                new("Kind", "spot"), new("CallId", Call.ToString()), new("Title", "Spot it"), new("AnswerIds", Annotation.ToString()),
                new("ShowTranscript", "true"), new("FullCreditSeconds", "4"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1"),
                new("CritiqueMinChars", "0"), new("Publish", "true"), new("TeamIds", North.ToString()),
            ]);
            Attempt = await leo.SubmitAsync(Exercise, [("a", 13.5, "no-empathy")], "The agent did not acknowledge the wait.");
            var discussion = $"/practice/exercises/{Exercise}/discussion";
            var thread = await (await leo.HtmxPostAsync(discussion, discussion, ("body", "It happened to me too."))).Content.ReadAsStringAsync();
            Post = int.Parse(Regex.Match(thread, "id=\"post-(\\d+)\"").Groups[1].Value);

            Criterion = int.Parse((await rita.ScoreFirstCriterionZeroAsync($"/review/{Call}"))[0]);
            await leo.PostFormAsync($"/reviews/mine/{Call}/disputes", [new("AnnotationId", Annotation.ToString()), new("Comment", "I did acknowledge it")], $"/reviews/mine/{Call}");

            var created = await sue.PostFormAsync("/calibration",
                [new("CallId", Call.ToString()), new("Reviewers", ritaId.ToString()), new("Reviewers", (await this.UserIdAsync(Sue)).ToString())]);
            Session = int.Parse(Regex.Match(created.Headers.Location!.OriginalString, @"/calibration/(\d+)/results").Groups[1].Value);
            await rita.HtmxPostAsync($"/calibration/{Session}/annotations", $"/calibration/{Session}", ReviewClient.Annotation(start: "6"));

            using var scope = Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().CreateAsync(ritaId, "integration", default);
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            Scorecard = await connection.ExecuteScalarAsync<int>("SELECT Id FROM ScorecardResult WHERE CallId = @Call", new { Call });
            Dispute = await connection.ExecuteScalarAsync<int>("SELECT Id FROM Dispute WHERE CallId = @Call", new { Call });
            SessionPin = await connection.ExecuteScalarAsync<int>("SELECT Id FROM Annotation WHERE CalibrationSessionId = @Session", new { Session });
            ApiKey = await connection.ExecuteScalarAsync<int>("SELECT MAX(Id) FROM ApiKey");
            await scope.ServiceProvider.GetRequiredService<CallReview.Web.Features.Signals.ComputeSignals.Handler>().RunAsync(Call, default);
            Signal = await connection.ExecuteScalarAsync<int>("SELECT MIN(Id) FROM CallSignal WHERE CallId = @Call", new { Call });
            foreach (var id in new[] { Scorecard, Dispute, SessionPin, ApiKey, Signal })
                Assert.True(id > 0, "fixture object missing");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private static IReadOnlyList<string> DiscoveredEndpoints(Fixture app)
    {
        using var _ = app.CreateClient();
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} {e.RoutePattern.RawText?.Trim('/')}"))
            .Distinct().Order().ToList();
    }

    [Fact]
    public void Table_HasOneRowForEveryEndpoint_AndNoRowForAnEndpointThatIsGone()
    {
        var endpoints = DiscoveredEndpoints(app);
        var rows = Table.Select(r => r.Key).ToList();

        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.True(Table.All(r => r.Outcomes.Length == Roles.Length), "every row has one outcome per role");
        var missing = endpoints.Except(rows).ToList();
        Assert.True(missing.Count == 0, "endpoints without a row in EndpointAccessTests.Table: " + string.Join(", ", missing));
        var gone = rows.Except(endpoints).ToList();
        Assert.True(gone.Count == 0, "rows for endpoints that no longer exist: " + string.Join(", ", gone));
    }

    [Fact]
    public async Task EveryEndpoint_ForEveryRole_AnswersAsTheTableSays()
    {
        var tokens = new Dictionary<string, string>();
        foreach (var (role, client) in app.Clients)
            tokens[role] = await client.TokenFromAsync(role == "anonymous" ? "/account/login" : "/account/password");

        var failures = new List<string>();
        // Reads first, then changes in table order.
        foreach (var row in Table.OrderBy(r => r.Method == "GET" ? 0 : 1))
            foreach (var role in row.Method == "GET" ? Roles : RolesForChanges)
            {
                var expected = row.Outcomes[Array.IndexOf(Roles, role)];
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Url(app));
                if (row.Method != "GET")
                {
                    request.Headers.Add("RequestVerificationToken", tokens[role]);
                    request.Content = row.Body?.Invoke(app) ?? Form("");
                }
                using var response = await app.Clients[role].SendAsync(request);
                var actual = Outcome(response);
                if (!Matches(expected, actual))
                    failures.Add($"{row.Key} as {role}: expected {expected}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
            }

        Assert.True(failures.Count == 0, $"{failures.Count} answer(s) differ from the table:\n" + string.Join("\n", failures));
    }

    private static StringContent Form(string fields) => new(fields, Encoding.UTF8, "application/x-www-form-urlencoded");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "login",
            HttpStatusCode.Forbidden => "denied",
            HttpStatusCode.Redirect when location.Contains("/account/login") => "login",
            HttpStatusCode.Redirect when location.Contains("/account/denied") => "denied",
            var status => ((int)status).ToString(),
        };
    }

    private static bool Matches(string expected, string actual) =>
        expected == actual || expected == "ok" && int.TryParse(actual, out var status) && status is >= 200 and < 400 or 400;
}
