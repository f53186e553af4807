using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Shared;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// Words that code builds with figures in them, said in the reader's language with the figures in its culture, through
/// real HTTP: a handler's refusal, a notice on the next page, the annotation history and the retention pages.
/// </summary>
public sealed class MessageTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    [Fact]
    public void Message_AsEnglish_PlacesItsFiguresInvariant()
    {
        var message = new Message("Start must be inside the call (0–{0:0.###} s).", 30.5m);

        Assert.Equal("Start must be inside the call (0–30.5 s).", message.ToString());
    }

    [Theory]
    [InlineData("ro", "Începutul trebuie să fie în interiorul apelului (0–30,5 s).")]
    [InlineData("he", "ההתחלה חייבת להיות בתוך השיחה (0–30.5 ש׳).")]
    public async Task Refusal_WithAFigure_IsInTheReadersLanguage_WithItsDecimalSeparator(string culture, string expected)
    {
        var call = await app.InsertCallAsync($"Half-second call {culture}", app.North, app.LeoId, durationSeconds: 30.5);
        var rita = (await app.SignedInAsync(ReviewFixture.Rita, ReviewFixture.Password)).Speaking(culture);
        var page = $"/review/{call}";

        var html = await (await rita.HtmxPostAsync($"{page}/annotations", page, ReviewClient.Annotation(start: "99"))).Content.ReadAsStringAsync();

        Assert.Contains(expected, Regex.Matches(WebUtility.HtmlDecode(html), "class=\"field-error\">([^<]*)<").Select(m => m.Groups[1].Value));
        Assert.Empty(EnglishPhrases.In(html, culture));
    }

    [Theory]
    [InlineData("ro", "23", "Gravitate: 2 → 3", "Citat: “history probe”", "Categorie: ")]
    [InlineData("he", "24", "חומרה: 2 → 3", "ציטוט: “history probe”", "קטגוריה: ")]
    public async Task AnnotationHistory_IsInTheReadersLanguage(string culture, string start, string severity, string quote, string category)
    {
        var rita = (await app.SignedInAsync(ReviewFixture.Rita, ReviewFixture.Password)).Speaking(culture);
        var page = $"/review/{app.NorthCall}";
        var created = await (await rita.HtmxPostAsync($"{page}/annotations", page, ReviewClient.Annotation(start: start, quote: "history probe"))).Content.ReadAsStringAsync();
        var id = Regex.Match(created, $"data-id=\"(\\d+)\" data-kind=\"unmet\"\\s+data-start=\"{start}\"").Groups[1].Value;
        await rita.HtmxPostAsync($"{page}/annotations/{id}", page, ReviewClient.Annotation(start: start, category: "complaint-mishandled", severity: "3", quote: "history probe"));

        var history = WebUtility.HtmlDecode(await rita.HtmxGetStringAsync($"{page}/annotations/{id}/history"));

        Assert.Contains($"<li>{severity}</li>", history);
        Assert.Contains($"<li>{quote}</li>", history);
        Assert.Contains($"<li>{category}", history);
        Assert.DoesNotContain("Severity", history);
        Assert.Empty(EnglishPhrases.In(history, culture));
    }

    [Theory]
    [InlineData("ro", 41, "Previzualizarea păstrării: North", "North: apelurile mai vechi de 41 de zile își vor pierde înregistrarea")]
    [InlineData("he", 42, "תצוגה מקדימה של שמירת נתונים: North", "North: שיחות ישנות מ־42 ימים יאבדו את ההקלטה שלהן")]
    public async Task RetentionPages_AndTheirNotice_AreInTheReadersLanguage(string culture, int days, string previewTitle, string notice)
    {
        var admin = (await app.AdminAsync()).Speaking(culture);

        var set = await admin.PostFormAsync($"/admin/retention/{app.North}", [new("Days", days.ToString())], "/admin/retention");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        var preview = await admin.GetStringAsync($"/admin/retention/{app.North}/preview");
        Assert.Contains(previewTitle, WebUtility.HtmlDecode(preview));
        Assert.Empty(EnglishPhrases.In(preview, culture));
        // The same page in English is caught, figures and all.
        var english = await (await app.AdminAsync()).GetStringAsync($"/admin/retention/{app.North}/preview");
        Assert.Contains("Nothing happens until you confirm. After that, the worker applies the period at every run, to these calls and to each call that grows older than", EnglishPhrases.In(english, culture));

        var confirmed = await admin.PostFormAsync($"/admin/retention/{app.North}/confirm", [new("Days", days.ToString())], $"/admin/retention/{app.North}/preview");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var retention = await admin.GetStringAsync("/admin/retention");
        Assert.Contains(notice, WebUtility.HtmlDecode(retention));
        Assert.Empty(EnglishPhrases.In(retention, culture));
    }
}
