using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CallReview.Tests.Web.Infrastructure;

/// <summary>
/// Every GET route the app has (found from its endpoint data source, so new routes are covered without
/// editing this test), plus static files and unknown paths, answers with the security headers, signed in
/// or not; and no page carries inline script, which the Content-Security-Policy would block.
/// </summary>
public sealed partial class SecurityHeadersTests(CallReviewApp app, ITestOutputHelper output) : IClassFixture<CallReviewApp>
{
    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();

    [GeneratedRegex(@"href=""javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptUrl();

    private IEnumerable<string> GetRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
            .Select(e => "/" + string.Join('/', e.RoutePattern.PathSegments.Select(Sample)))
            .Distinct().Order();

    /// <summary>A path segment with each parameter given a plausible value (ids of rows that may not exist).</summary>
    private static string Sample(RoutePatternPathSegment segment) => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart parameter => parameter.Default?.ToString() ?? "1",
        _ => "",
    }));

    [Fact]
    public async Task EveryRoute_AnonymousAndSignedIn_CarriesSecurityHeadersAndNoInlineScript()
    {
        var routes = GetRoutes().Concat(["/css/site.css", "/js/site.js", "/no/such/page", "/api/no-such-route"]).ToList();
        Assert.True(routes.Count > 20, $"only {routes.Count} routes found");
        var admin = await app.AdminAsync();
        var team = await admin.CreateTeamAsync("Header Team");
        await admin.CreateUserAsync("all-roles@test.local", "All Roles", "all-roles-pass-1", [Roles.Supervisor, Roles.Reviewer, Roles.Learner], team);
        var clients = new[] { ("anonymous", app.NewClient()), ("admin", admin), ("staff", await app.SignedInAsync("all-roles@test.local", "all-roles-pass-1")) };
        var failures = new List<string>();
        foreach (var (who, client) in clients)
        {
            foreach (var route in routes)
            {
                using var response = await client.GetAsync(route);
                var problems = MissingHeaders(response).ToList();
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                {
                    var html = await response.Content.ReadAsStringAsync();
                    if (InlineScript().Match(html) is { Success: true } script)
                        problems.Add($"inline script {script.Value}");
                    if (HandlerAttribute().Match(html) is { Success: true } handler)
                        problems.Add($"event handler attribute {handler.Value}");
                    if (ScriptUrl().IsMatch(html))
                        problems.Add("javascript: link");
                }
                output.WriteLine($"{who,-9} {(int)response.StatusCode} {route}");
                failures.AddRange(problems.Select(p => $"{who} GET {route} ({(int)response.StatusCode}): {p}"));
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Https_AddsStrictTransportSecurity_AndPlainHttpDoesNot()
    {
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var overHttps = await https.GetAsync("/account/login");
        var overHttp = await app.NewClient().GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, overHttps.StatusCode);
        Assert.Contains("max-age=", overHttps.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False(overHttp.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task FrameworkAnswer_StillCarriesSecurityHeaders()
    {
        // A POST without its antiforgery token is refused by the framework before any view runs.
        var client = app.NewClient();
        using var refused = await client.PostAsync("/account/login", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(MissingHeaders(refused));
    }

    private static IEnumerable<string> MissingHeaders(HttpResponseMessage response)
    {
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values) : null;
        if (Header("Content-Security-Policy") is not { } csp || !csp.Contains("script-src 'self'") || csp.Contains("script-src 'self' 'unsafe")
            || !csp.Contains("frame-ancestors 'none'") || !csp.Contains("object-src 'none'"))
            yield return "Content-Security-Policy missing or weak";
        if (Header("X-Content-Type-Options") != "nosniff")
            yield return "X-Content-Type-Options";
        if (Header("X-Frame-Options") != "DENY")
            yield return $"X-Frame-Options is {Header("X-Frame-Options") ?? "missing"}";
        if (Header("Referrer-Policy") is null)
            yield return "Referrer-Policy";
    }
}
