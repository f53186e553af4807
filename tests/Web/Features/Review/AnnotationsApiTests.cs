using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Db;

namespace CallReview.Tests.Web.Features.Review;

public sealed class AnnotationsApiTests(PerDatabase<AnnotationsApiTests.Fixture> apps) : IClassFixture<PerDatabase<AnnotationsApiTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture
    {
        public string RitaKey { get; private set; } = "";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var admin = await AdminAsync();
            var page = await (await admin.PostFormAsync("/admin/apikeys", [new("UserEmail", Rita), new("Name", "script")])).Content.ReadAsStringAsync();
            RitaKey = Regex.Match(page, "<code class=\"secret\">([^<]+)</code>").Groups[1].Value;
            Assert.NotEmpty(RitaKey);
        }
    }

    private static string Url(Fixture app) => $"/api/calls/{app.NorthCall}/annotations";

    private static HttpClient KeyClient(Fixture app)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", app.RitaKey);
        return client;
    }

    [DatabaseTheory, DatabaseData]
    public async Task Categories_ListsTheSeededDefaults(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var categories = await KeyClient(app).GetFromJsonAsync<JsonElement>("/api/categories");

        var codes = categories.EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Contains("no-ownership", codes);
    }

    [DatabaseTheory, DatabaseData]
    public async Task PostGetPutDelete_WithApiKey_RoundTripsInSeconds(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var client = KeyClient(app);

        var created = await client.PostAsJsonAsync(Url(app), new { kind = "unmet", start = 12.75, end = 15.5, category = "timeliness", severity = 3, quote = "waiting a month", expected = "Give a date" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal(12.75m, body.GetProperty("start").GetDecimal());
        Assert.Equal(15.5m, body.GetProperty("end").GetDecimal());
        Assert.Equal($"/api/calls/{app.NorthCall}/annotations/{id}", created.Headers.Location!.OriginalString);

        var list = await client.GetFromJsonAsync<JsonElement>(Url(app));
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("id").GetInt32() == id && a.GetProperty("category").GetString() == "timeliness");

        var updated = await client.PutAsJsonAsync($"{Url(app)}/{id}", new { kind = "exemplary", start = 13, end = (decimal?)null, category = "timeliness", quote = "q", expected = "e" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("exemplary", after.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("end").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("severity").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Url(app)}/{id}")).StatusCode);
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>(Url(app))).EnumerateArray(), a => a.GetProperty("id").GetInt32() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{Url(app)}/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"kind":"unmet","start":99,"category":"timeliness","severity":2}""", "start")]
    [InlineData("""{"kind":"unmet","start":10,"end":5,"category":"timeliness","severity":2}""", "end")]
    [InlineData("""{"kind":"unmet","start":10,"category":"nope","severity":2}""", "category")]
    [InlineData("""{"kind":"unmet","start":10,"category":"timeliness","severity":0}""", "severity")]
    [InlineData("""{"kind":"praise","start":10,"category":"timeliness","severity":1}""", "kind")]
    public async Task Post_Invalid_Is400ProblemNamingTheField(string json, string field)
    {
        var app = await apps.For(DatabaseProvider.Sqlite);
        var response = await KeyClient(app).PostAsync(Url(app), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [DatabaseTheory, DatabaseData]
    public async Task Get_OtherTeamsCall_Is404(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var response = await KeyClient(app).GetAsync($"/api/calls/{app.SouthCall}/annotations");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Get_AsLearner_Is403(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var leo = await app.As(ReviewFixture.Leo);

        Assert.Equal(HttpStatusCode.Forbidden, (await leo.GetAsync(Url(app))).StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Get_Anonymous_Is401(DatabaseProvider database)
    {
        var app = await apps.For(database);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.NewClient().GetAsync(Url(app))).StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Post_WithCookieButNoToken_Is400AndWithTokenIs201(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);
        var body = new { kind = "unmet", start = 3, category = "rude-tone", severity = 1 };

        Assert.Equal(HttpStatusCode.BadRequest, (await rita.PostAsJsonAsync(Url(app), body)).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, Url(app)) { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", await rita.TokenFromAsync($"/review/{app.NorthCall}"));
        Assert.Equal(HttpStatusCode.Created, (await rita.SendAsync(request)).StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Put_SomeoneElsesAnnotation_Is403(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var created = await (await KeyClient(app).PostAsJsonAsync(Url(app), new { kind = "unmet", start = 8, category = "rude-tone", severity = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        var rob = await app.As(ReviewFixture.Rob);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Url(app)}/{created.GetProperty("id").GetInt32()}")
        {
            Content = JsonContent.Create(new { kind = "unmet", start = 8, category = "no-empathy", severity = 1 }),
        };
        request.Headers.Add("RequestVerificationToken", await rob.TokenFromAsync($"/review/{app.NorthCall}"));

        Assert.Equal(HttpStatusCode.Forbidden, (await rob.SendAsync(request)).StatusCode);
    }
}
