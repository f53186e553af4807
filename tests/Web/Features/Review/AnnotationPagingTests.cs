using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Review;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// A call with more annotations than one page of cards: every annotation is a timeline marker, cards come 25 at a
/// time, the panel keeps the cards it shows across writes (it sends how many and a hash of their ids, <c>cards</c>), and
/// a write's answer changes only its own marker.
/// </summary>
public sealed class AnnotationPagingTests(AnnotationPagingTests.Fixture app) : IClassFixture<AnnotationPagingTests.Fixture>
{
    public const int Count = 59;

    public sealed class Fixture : ReviewFixture
    {
        public int CrowdedCall { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            CrowdedCall = await this.InsertCallAsync("Crowded call", North, LeoId);
            var db = Services.GetRequiredService<IDbConnectionFactory>();
            await using var connection = await db.OpenAsync();
            var rita = await connection.ExecuteScalarAsync<int>("SELECT Id FROM UserAccount WHERE Email = @Rita", new { Rita });
            // Out of time order on purpose: cards and markers come in time order.
            await connection.ExecuteAsync(
                """
                INSERT INTO Annotation (CallId, Kind, StartMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt)
                VALUES (@CrowdedCall, 'unmet', @startMs, 'timeliness', 2, @quote, '', @rita, @now, @now)
                """,
                Enumerable.Range(0, Count).Reverse().Select(i => new { CrowdedCall, startMs = 500L * i, quote = $"pin {i:00}", rita, now = DateTimeOffset.UtcNow }));
        }
    }

    private string Page => $"/review/{app.CrowdedCall}";
    private string Annotations => $"{Page}/annotations";

    private static IReadOnlyList<string> Cards(string html) =>
        Regex.Matches(html, "<li id=\"annotation-\\d+\" class=\"annotation[^>]*>\\s*<div class=\"annotation-head\">[\\s\\S]*?<blockquote class=\"quote\">(pin \\d\\d)</blockquote>")
            .Select(m => m.Groups[1].Value).ToList();

    /// <summary>Which cards a page or panel shows (how many, a hash of their ids), as the panel sends it with each request.</summary>
    private static (string, string) ShownCards(string html) =>
        ("cards", Regex.Match(html, "<input type=\"hidden\" id=\"annotations-cards\" name=\"cards\" value=\"(\\d+\\.[0-9a-f]{16})\"[^>]*>").Groups[1].Value);

    private static int ShownCount((string, string) cards) => int.Parse(cards.Item2.Split('.')[0]);

    private static string Query((string Name, string Value) cards) => $"{cards.Name}={Uri.EscapeDataString(cards.Value)}";

    private static int Markers(string html) => Regex.Matches(html, "data-marker ").Count;

    [Fact]
    public void ShowMore_FromTheMostCards_StaysAtTheMostCards()
    {
        // A panel showing MaxCards (a scope with more annotations) sends that count; a page more would not parse back.
        var atMost = $"{AnnotationPanel.MaxCards}.0123456789abcdef";

        Assert.Equal(AnnotationPanel.MaxCards, AnnotationPanel.CardsToShow(atMost));
        Assert.Equal(AnnotationPanel.MaxCards, AnnotationPanel.CardsToShow(atMost, more: true));
        Assert.Equal(AnnotationPanel.MaxCards, AnnotationPanel.CardsToShow($"{AnnotationPanel.MaxCards - 1}.0123456789abcdef", more: true));
        Assert.Equal(50, AnnotationPanel.CardsToShow("25.0123456789abcdef", more: true));
        Assert.NotNull(AnnotationPanel.ShownCards.Parse(new AnnotationPanel.ShownCards(AnnotationPanel.CardsToShow(atMost, more: true), "0123456789abcdef").ToString()));
    }

    [Fact]
    public async Task ReviewPage_ManyAnnotations_MarksEveryOneAndShowsTheFirstPageOfCardsInTimeOrder()
    {
        var rita = await app.As(ReviewFixture.Rita);

        var html = await rita.GetStringAsync(Page);

        Assert.Equal(Count, Markers(html));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"pin {i:00}"), Cards(html));
        Assert.Contains($"Annotations <span id=\"annotations-total\" class=\"muted\">({Count})</span>", html);
        Assert.Contains($"Show 25 more ({Count - 25} not shown)", html);
        Assert.Equal(25, ShownCount(ShownCards(html)));
        Assert.DoesNotContain("name=\"shown\"", html);
    }

    /// <summary>A "show more" answer as htmx gets it: where it goes (HX-Retarget, HX-Reswap) and the HTML.</summary>
    private static async Task<(string Target, string Swap, string Html)> ShowMoreAsync(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{query}&more=true");
        request.Headers.Add("HX-Request", "true");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.GetValues("HX-Retarget").Single(), response.Headers.GetValues("HX-Reswap").Single(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShowMore_AppendsTheNextPageOfCardsUntilAllAreShown()
    {
        var rita = await app.As(ReviewFixture.Rita);

        var second = await ShowMoreAsync(rita, $"{Annotations}?{Query(ShownCards(await rita.GetStringAsync(Page)))}");
        var last = await ShowMoreAsync(rita, $"{Annotations}?{Query(ShownCards(second.Html))}");

        // Only the next page's cards, appended to the list, and out of band what the panel then shows.
        Assert.Equal(("#annotation-list", "beforeend"), (second.Target, second.Swap));
        Assert.DoesNotContain("<section", second.Html);
        Assert.Equal(Enumerable.Range(25, 25).Select(i => $"pin {i:00}"), Cards(second.Html));
        Assert.Equal(50, ShownCount(ShownCards(second.Html)));
        Assert.Contains($"<span id=\"annotations-total\" class=\"muted\" hx-swap-oob=\"true\">({Count})</span>", second.Html);
        Assert.Contains($"Show 9 more (9 not shown)", second.Html);
        Assert.Equal(("#annotation-list", "beforeend"), (last.Target, last.Swap));
        Assert.Equal(Enumerable.Range(50, 9).Select(i => $"pin {i:00}"), Cards(last.Html));
        Assert.Equal(Count, ShownCount(ShownCards(last.Html)));
        // "Show more" gone, a line in its place takes its focus.
        Assert.Matches("<div id=\"annotations-more\" hx-swap-oob=\"true\">\\s*<p id=\"annotations-all-shown\" class=\"more muted\" tabindex=\"-1\" autofocus=\"autofocus\">All annotations shown</p>\\s*</div>", last.Html);
        // The panel's answers never carry the page's marker list.
        Assert.Equal(0, Markers(last.Html));
        // The cards the page then sends are the whole panel's when it shows them all.
        var panel = await rita.HtmxGetStringAsync($"{Annotations}?{Query(ShownCards(last.Html))}");
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"pin {i:00}"), Cards(panel));
        Assert.Equal(ShownCards(last.Html), ShownCards(panel));
    }

    [Fact]
    public async Task ShowMore_WhenTheCardsShownChangedSinceThePageLoaded_AnswersTheWholePanelWithAPageMore()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var page = ShownCards(await rita.GetStringAsync(Page));
        // Another tab adds one among the cards this page shows: the next page from the 26th card would repeat pin 24.
        Assert.Equal(HttpStatusCode.OK, (await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.1", quote: "pin 96"), page])).StatusCode);

        var more = await ShowMoreAsync(rita, $"{Annotations}?{Query(page)}");

        Assert.Equal(("#annotations", "outerHTML"), (more.Target, more.Swap));
        Assert.Contains("<section id=\"annotations\"", more.Html);
        Assert.Equal(["pin 00", "pin 01", "pin 02", "pin 96", "pin 03"], Cards(more.Html).Take(5));
        Assert.Equal(50, Cards(more.Html).Count);
        Assert.Equal(50, ShownCount(ShownCards(more.Html)));

        var id = Regex.Match(more.Html, "<li id=\"annotation-(\\d+)\" class=\"annotation kind-unmet\" data-start=\"1.1\"").Groups[1].Value;
        await rita.HtmxPostAsync($"{Annotations}/{id}/delete", Page, ShownCards(more.Html));
    }

    /// <summary>
    /// Another reviewer adds an annotation among the cards shown, or deletes one, between "show more"'s check of the cards
    /// shown and its read of the next page: the next page still starts after the last card shown (read past as many cards
    /// as are shown, the added one repeated pin 24 on the page, the deleted one skipped pin 25).
    /// </summary>
    [Theory, InlineData("add"), InlineData("delete")]
    public async Task ShowMore_AnotherReviewersWriteBetweenItsReads_AnswersTheCardsAfterTheLastOneShown(string write)
    {
        var call = await app.InsertCallAsync($"Show more racing a {write}", app.North, app.LeoId);
        var rita = await app.UserIdAsync(ReviewFixture.Rita);
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
            ids.Add(await app.InsertAnnotationAsync(call, rita, "unmet", 1000L * i, null, "timeliness", $"pin {i:00}", ""));
        var written = false;
        var db = new SqlServerCheckedConnections(app.Services.GetRequiredService<DatabaseOptions>(), sql =>
        {
            // The next page's read (the cards' text), after the check of the ids shown.
            if (written || !sql.Contains("a.Quote"))
                return;
            written = true;
            using var other = app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync().GetAwaiter().GetResult();
            if (write == "add")
                other.Execute(
                    """
                    INSERT INTO Annotation (CallId, Kind, StartMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt)
                    VALUES (@call, 'unmet', 500, 'timeliness', 2, 'pin by Rob', '', @rita, @now, @now)
                    """, new { call, rita, now = DateTimeOffset.UtcNow });
            else
                other.Execute("UPDATE Annotation SET DeletedAt = @now WHERE Id = @id", new { id = ids[0], now = DateTimeOffset.UtcNow });
        });
        var panel = new AnnotationPanel.Handler(db, new NeedCategories.Handler(db), new MemoryCache(new MemoryCacheOptions()));
        var user = new CurrentUser(rita, ReviewFixture.Rita, "Rita Reviewer", new HashSet<string> { "reviewer" }, new HashSet<int> { app.North });

        var next = await panel.NextPageAsync(new ReviewScope(call, null, 60_000, $"/review/{call}"), user, readOnly: false,
            AnnotationPanel.ShownCards.Of(ids.Take(25).ToList()), CancellationToken.None);

        Assert.True(written);
        Assert.Equal(Enumerable.Range(25, 5).Select(i => $"pin {i:00}"), next!.Panel.Items.Select(card => card.Quote));
    }

    public static TheoryData<string?> Unreadable => new()
    {
        null, "", "abc", "50", "50.", ".0123456789abcdef", "-5.0123456789abcdef", "+50.0123456789abcdef", " 50.0123456789abcdef",
        "50.0123456789ABCDEF", "50.0123456789abcde", "50.0123456789abcdef0", "50.0123456789abcdef.1", "1e3.0123456789abcdef",
        "100001.0123456789abcdef", "99999999999.0123456789abcdef", "0.0123456789abcdef", new string('9', 5000) + ".0123456789abcdef", "12,7,30",
    };

    [Theory, MemberData(nameof(Unreadable))]
    public async Task Panel_CardsNotAsThePanelSendsThem_ShowsTheFirstPage_AndANewAnnotationAnswersTheWholePanel(string? cards)
    {
        var rita = await app.As(ReviewFixture.Rita);
        var sent = cards is null ? "" : $"&{Query(("cards", cards))}";

        var panel = await rita.HtmxGetStringAsync($"{Annotations}?more=false{sent}");
        // "Show more" from a page loaded before a deploy (the ids it shows, or nothing): the whole panel, replacing itself.
        var more = await ShowMoreAsync(rita, $"{Annotations}?{sent.TrimStart('&')}");
        var response = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "0.2", quote: "pin 90"), .. cards is null ? [] : new[] { ("cards", cards) }]);
        var created = await response.Content.ReadAsStringAsync();

        Assert.Equal(25, Cards(panel).Count);
        Assert.Equal(("#annotations", "outerHTML"), (more.Target, more.Swap));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"pin {i:00}"), Cards(more.Html));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("HX-Reswap"), created);
        Assert.Equal(["pin 00", "pin 90", "pin 01"], Cards(created).Take(3));
        Assert.Equal(25, ShownCount(ShownCards(created)));

        var id = Regex.Match(created, "<li id=\"annotation-(\\d+)\" class=\"annotation kind-unmet\" data-start=\"0.2\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await rita.HtmxPostAsync($"{Annotations}/{id}/delete", Page, ShownCards(created))).StatusCode);
    }

    [Fact]
    public async Task Panel_AWellFormedCountWithAHashOfOtherCards_ShowsAsManyButANewAnnotationAnswersTheWholePanel()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var other = ("cards", "30.0123456789abcdef");

        var more = await ShowMoreAsync(rita, $"{Annotations}?{Query(other)}");
        Assert.Equal(("#annotations", "outerHTML"), (more.Target, more.Swap));
        Assert.Equal(55, Cards(more.Html).Count);
        var response = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "0.2", quote: "pin 90"), other]);
        var created = await response.Content.ReadAsStringAsync();

        Assert.False(response.Headers.Contains("HX-Reswap"), created);
        Assert.Equal(30, Cards(created).Count);
        Assert.Equal("pin 90", Cards(created)[1]);
        var id = Regex.Match(created, "<li id=\"annotation-(\\d+)\" class=\"annotation kind-unmet\" data-start=\"0.2\"").Groups[1].Value;
        await rita.HtmxPostAsync($"{Annotations}/{id}/delete", Page, ShownCards(created));
    }

    [Fact]
    public async Task Create_AfterTheCardsShown_AnswersOnlyTheCountsAndItsOwnMarker_DeleteRemovesIt()
    {
        var rita = await app.As(ReviewFixture.Rita);

        var shown = ShownCards(await rita.HtmxGetStringAsync($"{Annotations}?{Query(ShownCards(await rita.GetStringAsync(Page)))}&more=true"));
        Assert.Equal(50, ShownCount(shown));
        var response = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "29.9", quote: "late pin"), shown]);
        var created = await response.Content.ReadAsStringAsync();

        // Not the panel: its parts by id, out of band, and no card (it sorts after the 50 shown).
        Assert.Equal("none", response.Headers.GetValues("HX-Reswap").Single());
        Assert.DoesNotContain("<section", created);
        Assert.Empty(Cards(created));
        Assert.Contains($"<span id=\"annotations-total\" class=\"muted\" hx-swap-oob=\"true\">({Count + 1})</span>", created);
        Assert.Contains($"<input type=\"hidden\" id=\"annotations-cards\" name=\"cards\" value=\"{shown.Item2}\" hx-swap-oob=\"true\" />", created);
        Assert.Contains("<div id=\"annotation-form-slot\" hx-swap-oob=\"true\"></div>", created);
        Assert.Contains($"Show 10 more (10 not shown)", created);
        Assert.Equal(1, Markers(created));
        var marker = Regex.Match(created, "hx-swap-oob=\"beforeend:#annotation-markers\">\\s*<li id=\"marker-(\\d+)\" data-marker data-id=\"\\1\" data-kind=\"unmet\" data-start=\"29.9\"");
        Assert.True(marker.Success, created);
        Assert.Equal(Count + 1, Markers(await rita.GetStringAsync(Page)));

        var id = marker.Groups[1].Value;
        var deleted = await (await rita.HtmxPostAsync($"{Annotations}/{id}/delete", Page, shown)).Content.ReadAsStringAsync();

        Assert.Contains($"<li id=\"marker-{id}\" hx-swap-oob=\"delete\"></li>", deleted);
        Assert.Equal(0, Markers(deleted));
        Assert.Equal(50, Cards(deleted).Count);
        Assert.Equal(Count, Markers(await rita.GetStringAsync(Page)));
    }

    [Fact]
    public async Task Create_AmongTheCardsShown_AnswersItsCardBeforeTheNextOne_AsTheReloadedPanelHasIt()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var page = await rita.GetStringAsync(Page);
        // pin 03 is at 1.5 s, pin 04 at 2 s: "pin 98" at 1.7 s goes between them.
        var next = Regex.Match(page, "<li id=\"annotation-(\\d+)\" class=\"annotation kind-unmet\" data-start=\"2\"").Groups[1].Value;

        var response = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.7", quote: "pin 98"), ShownCards(page)]);
        var created = await response.Content.ReadAsStringAsync();

        Assert.Equal("none", response.Headers.GetValues("HX-Reswap").Single());
        var card = Regex.Match(created, $"<ol hx-swap-oob=\"beforebegin:#annotation-{next}\">\\s*<li id=\"annotation-(\\d+)\" class=\"annotation kind-unmet\" data-start=\"1.7\" data-uncover=\"true\">[\\s\\S]*?pin 98</blockquote>");
        Assert.True(card.Success, created);
        Assert.Single(Regex.Matches(created, "<li id=\"annotation-"));
        var shown = ShownCards(created);
        Assert.Equal(26, ShownCount(shown));
        Assert.Contains($"Show 25 more ({Count + 1 - 26} not shown)", created);
        // The panel read again with the cards the page now shows has the same cards in the same order.
        var panel = await rita.HtmxGetStringAsync($"{Annotations}?{Query(shown)}");
        Assert.Equal(26, Cards(panel).Count);
        Assert.Equal("pin 98", Cards(panel)[4]);
        Assert.Equal(shown, ShownCards(panel));

        await rita.HtmxPostAsync($"{Annotations}/{card.Groups[1].Value}/delete", Page, shown);
    }

    [Fact]
    public async Task Create_WhenTheAnnotationsChangedSinceThePageLoaded_AnswersTheWholePanel()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var page = ShownCards(await rita.GetStringAsync(Page));
        Assert.Equal(25, ShownCount(page));

        // Another tab adds one among the cards shown: this page, still showing the cards it loaded, adds its own.
        var other = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.1", quote: "pin 96"), page]);
        Assert.Equal("none", other.Headers.GetValues("HX-Reswap").Single());
        Assert.Equal(26, ShownCount(ShownCards(await other.Content.ReadAsStringAsync())));
        var added = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.2", quote: "pin 97"), page]);
        var panel = await added.Content.ReadAsStringAsync();

        Assert.False(added.Headers.Contains("HX-Reswap"), panel);
        Assert.Contains("<section id=\"annotations\"", panel);
        Assert.Equal(["pin 00", "pin 01", "pin 02", "pin 96", "pin 97"], Cards(panel).Take(5));

        // This page now shows pin 96 in front of pin 97; another tab deletes pin 96, then this page adds one after it.
        var ids = Regex.Matches(panel, "<li id=\"annotation-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        await rita.HtmxPostAsync($"{Annotations}/{ids[3]}/delete", Page, ShownCards(panel));
        var afterDelete = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.15", quote: "pin 95"), ShownCards(panel)]);
        var reloaded = await afterDelete.Content.ReadAsStringAsync();

        Assert.False(afterDelete.Headers.Contains("HX-Reswap"), reloaded);
        Assert.Equal(["pin 00", "pin 01", "pin 02", "pin 95", "pin 97"], Cards(reloaded).Take(5));

        var left = Regex.Matches(reloaded, "<li id=\"annotation-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        foreach (var id in new[] { left[3], left[4] })
            await rita.HtmxPostAsync($"{Annotations}/{id}/delete", Page, ShownCards(reloaded));

        // The count alone misses this: another tab adds one and deletes another, so the total is the page's again,
        // but the card the new one goes before ("pin 94") is one this page never showed.
        await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.3", quote: "pin 92")]);
        var loaded = await rita.GetStringAsync(Page);
        var pin92 = Regex.Match(loaded, "<li id=\"annotation-(\\d+)\" class=\"annotation kind-unmet\" data-start=\"1.3\"").Groups[1].Value;
        await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.05", quote: "pin 94")]);
        await rita.HtmxPostAsync($"{Annotations}/{pin92}/delete", Page);
        var swapped = await rita.HtmxPostAsync(Annotations, Page, [.. ReviewClient.Annotation(start: "1.02", quote: "pin 93"), ShownCards(loaded)]);
        var whole = await swapped.Content.ReadAsStringAsync();

        Assert.False(swapped.Headers.Contains("HX-Reswap"), whole);
        Assert.Contains("<section id=\"annotations\"", whole);
        Assert.Equal(["pin 00", "pin 01", "pin 02", "pin 93", "pin 94", "pin 03"], Cards(whole).Take(6));

        var mine = Regex.Matches(whole, "<li id=\"annotation-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        foreach (var id in new[] { mine[3], mine[4] })
            await rita.HtmxPostAsync($"{Annotations}/{id}/delete", Page, ShownCards(whole));
    }

    [Fact]
    public async Task EditAndUpdate_AnAnnotationWhoseCardIsNotShown_ReplacesItsMarker()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var html = await rita.GetStringAsync(Page);
        var id = Regex.Match(html, "data-id=\"(\\d+)\" data-kind=\"unmet\" data-start=\"29\"").Groups[1].Value;

        var form = await rita.HtmxGetStringAsync($"{Annotations}/{id}/edit");
        var updated = await (await rita.HtmxPostAsync($"{Annotations}/{id}", Page,
            ReviewClient.Annotation(start: "29", category: "rude-tone", quote: "pin 58"))).Content.ReadAsStringAsync();

        Assert.Contains("pin 58</textarea>", form);
        Assert.Contains($"<li id=\"marker-{id}\" hx-swap-oob=\"delete\"></li>", updated);
        Assert.Matches($"hx-swap-oob=\"beforeend:#annotation-markers\">\\s*<li id=\"marker-{id}\" data-marker data-id=\"{id}\"[^>]*data-label=\"Rude tone\"", updated);
        Assert.Equal(25, Cards(updated).Count);
    }

    [Fact]
    public async Task ReviewPage_AnnotationCategoryOrAuthorNameChangedBehindThePage_ShowsOnItsMarkersAndCardsOnTheNextLoad()
    {
        // The page keeps its markers in memory under the call's annotation version and the names version: a write
        // made anywhere (here straight in the database, as another process would) must be a new key.
        var callId = await app.InsertCallAsync("Markers call", app.North, app.LeoId);
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        var rita = await app.As(ReviewFixture.Rita);
        var ritaId = await connection.ExecuteScalarAsync<int>("SELECT Id FROM UserAccount WHERE Email = @Rita", new { ReviewFixture.Rita });
        await connection.ExecuteAsync(
            """
            INSERT INTO Annotation (CallId, Kind, StartMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt)
            VALUES (@callId, 'unmet', @startMs, 'timeliness', 2, 'marked', '', @ritaId, @now, @now)
            """, new[] { 1000L, 2000L }.Select(startMs => new { callId, startMs, ritaId, now = DateTimeOffset.UtcNow }));
        var page = $"/review/{callId}";
        var first = await rita.GetStringAsync(page);
        Assert.Equal(2, Markers(first));
        Assert.Contains("data-start=\"1\" data-end=\"\" data-label=\"Timeliness / long hold\"", first);

        await connection.ExecuteAsync("UPDATE Annotation SET DeletedAt = @now WHERE CallId = @callId AND StartMs = 2000", new { callId, now = DateTimeOffset.UtcNow });
        Assert.Equal(1, Markers(await rita.GetStringAsync(page)));

        var name = await connection.ExecuteScalarAsync<string>("SELECT Name FROM NeedCategory WHERE Code = 'timeliness'");
        try
        {
            await connection.ExecuteAsync("UPDATE NeedCategory SET Name = 'Kept waiting' WHERE Code = 'timeliness'");
            Assert.Contains("data-start=\"1\" data-end=\"\" data-label=\"Kept waiting\"", await rita.GetStringAsync(page));
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE NeedCategory SET Name = @name WHERE Code = 'timeliness'", new { name });
        }
        Assert.Contains("data-label=\"Timeliness / long hold\"", await rita.GetStringAsync(page));

        // The cards too: an edited quote, and the author's new display name.
        await connection.ExecuteAsync("UPDATE Annotation SET Quote = 'marked again' WHERE CallId = @callId", new { callId });
        Assert.Contains("<blockquote class=\"quote\">marked again</blockquote>", await rita.GetStringAsync(page));
        try
        {
            await connection.ExecuteAsync("UPDATE UserAccount SET DisplayName = 'Rita Renamed' WHERE Id = @ritaId", new { ritaId });
            Assert.Contains("Rita Renamed · ", await rita.GetStringAsync(page));
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE UserAccount SET DisplayName = 'Rita Reviewer' WHERE Id = @ritaId", new { ritaId });
        }
    }

    [Fact]
    public async Task Scorecard_WritesOnlyTheCitedAnnotationsInEachCriterion()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var html = await rita.GetStringAsync(Page);
        var criteria = Regex.Matches(html, "id=\"criterion-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        var cited = Regex.Match(html, "data-id=\"(\\d+)\" data-kind=\"unmet\" data-start=\"10\"").Groups[1].Value;

        var response = await rita.HtmxPostAsync($"{Page}/scorecard", Page,
            [.. criteria.Select(c => ($"Points[{c}]", "na")), ($"Cites[{criteria[0]}]", cited)]);
        var page = await rita.GetStringAsync(Page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Regex.Matches(page, "name=\"Cites\\[\\d+\\]\""));
        Assert.Matches($"<input type=\"checkbox\" name=\"Cites\\[{criteria[0]}\\]\" value=\"{cited}\" checked=\"checked\" /> <span class=\"metric\">0:10.0</span> Timeliness / long hold", page);
        Assert.Equal(criteria.Count, Regex.Matches(page, "<details class=\"cites\"[^>]*data-cites=\"\\d+\">").Count);
    }
}
