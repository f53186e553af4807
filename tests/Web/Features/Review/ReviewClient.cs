namespace CallReview.Tests.Web.Features.Review;

/// <summary>Requests the way the review page's htmx makes them: HX-Request header, antiforgery token from the page.</summary>
public static class ReviewClient
{
    public static async Task<HttpResponseMessage> HtmxPostAsync(this HttpClient client, string url, string pageUrl, params (string Name, string Value)[] fields)
    {
        var token = await client.TokenFromAsync(pageUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    public static async Task<string> HtmxGetStringAsync(this HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Scores the page's scorecard: the first criterion 0, the rest not applicable. Returns the criterion ids.</summary>
    public static async Task<IReadOnlyList<string>> ScoreFirstCriterionZeroAsync(this HttpClient client, string page)
    {
        var criteria = System.Text.RegularExpressions.Regex.Matches(await client.GetStringAsync(page), "id=\"criterion-(\\d+)\"")
            .Select(m => m.Groups[1].Value).ToList();
        var response = await client.HtmxPostAsync($"{page}/scorecard", page, criteria.Select((id, i) => ($"Points[{id}]", i == 0 ? "0" : "na")).ToArray());
        response.EnsureSuccessStatusCode();
        return criteria;
    }

    public static (string, string)[] Annotation(string start = "14", string? end = null, string category = "no-empathy", string severity = "2",
        string quote = "I have been waiting", string expected = "Acknowledge the wait and give a date", string kind = "unmet") =>
        [("kind", kind), ("start", start), ("end", end ?? ""), ("category", category), ("severity", severity), ("quote", quote), ("expected", expected)];
}
