using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallReview.Db;
using CallReview.Web.Features.Shared;
using CallReview.Web.Features.Accounts;
using Dapper;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The annotations side panel: the list (which the timeline reads its markers from), the new/edit form and
/// each annotation's history. One partial, <c>_Annotations</c>, for the page and every htmx swap.
/// </summary>
public static class AnnotationPanel
{
    /// <summary>One step of an annotation's history in words: who did it, when, and each field's old → new value.</summary>
    public sealed record Change(string Action, string UserName, DateTimeOffset ChangedAt, IReadOnlyList<Message> Details);

    private sealed class ChangeRow
    {
        public string Action { get; init; } = "";
        public string UserName { get; init; } = "";
        public DateTimeOffset ChangedAt { get; init; }
        public string Snapshot { get; init; } = "";
    }

    /// <summary>The fields of an audit snapshot (see <see cref="AnnotationAudit"/>) that a person cares about.</summary>
    private sealed record Snapshot(string Kind, long StartMs, long? EndMs, string Category, int? Severity, string Quote, string Expected);

    /// <summary>The form being shown: a new annotation (Id null) or an edit; the last attempt's errors are in ModelState.</summary>
    public sealed record Editor(int? Id, SaveAnnotation.Input Input);

    /// <summary>
    /// Cards shown at first and added by each "show more". The page marks every annotation of the scope on the timeline
    /// (<c>_AnnotationMarkers</c>) but shows cards only for the first ones by time: a call with thousands stays a small page.
    /// </summary>
    public const int PageSize = 25;

    /// <summary>Markers to render: the page's whole list, or (<paramref name="Append"/>) ones a write's answer adds to it.</summary>
    public sealed record MarkerList(IReadOnlyList<Annotation> Markers, bool Append);

    /// <summary>What a write did to one annotation, sent with the panel so the page's marker list follows: its marker now, or null once deleted.</summary>
    public sealed record MarkerChange(int Id, Annotation? Marker, bool Created);

    /// <summary><paramref name="Items"/> are the cards shown (the first by time), <paramref name="Total"/> counts them all.</summary>
    public sealed record Model(
        ReviewScope Scope,
        CurrentUser User,
        IReadOnlyList<Annotation> Items,
        int Total,
        IReadOnlyList<NeedCategories.Category> Categories,
        Editor? Form,
        bool ReadOnly,
        MarkerChange? Change = null)
    {
        public bool MayChange(Annotation item) => !ReadOnly && AnnotationAccess.MayChange(item, User);
    }

    /// <summary>
    /// The answer to a new annotation: the parts of the page it changes, not the whole panel. <paramref name="Panel"/> holds
    /// its card when the page shows it (it sorts among the cards shown), the new total and the marker change;
    /// <paramref name="Cards"/> are the ids of the cards the page shows now, in order; <paramref name="Before"/> the shown
    /// card it goes before, none at the end of the list.
    /// </summary>
    public sealed record Added(Model Panel, IReadOnlyList<int> Cards, int? Before);

    /// <summary>
    /// Which cards a page shows, as its panel sends them with every request (<c>cards</c>, "50.9f86d081884c7d65"): how
    /// many, and a hash of their ids in order, which the server recomputes to know they are still the first ones. Fixed
    /// size: the ids themselves passed Kestrel's 8 KB request line on a busy call's "show more" (a GET) after ~1,300 cards.
    /// </summary>
    public sealed record ShownCards(int Count, string Hash)
    {
        private const int HashLength = 16;

        public static ShownCards Of(IReadOnlyCollection<int> ids) => new(ids.Count, HashOf(ids));

        /// <summary>What a panel sent; null for anything else (missing, malformed, a count past <see cref="MaxCards"/>).</summary>
        public static ShownCards? Parse(string? sent)
        {
            var parts = (sent ?? "").Split('.');
            return parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxCards
                && parts[1].Length == HashLength && parts[1].All(char.IsAsciiHexDigitLower)
                ? new ShownCards(count, parts[1])
                : null;
        }

        /// <summary>Whether these are the cards <paramref name="ids"/>, in this order.</summary>
        public bool Are(IReadOnlyCollection<int> ids) => ids.Count == Count && HashOf(ids) == Hash;

        public override string ToString() => $"{Count}.{Hash}";

        // Not a secret: the server only ever hashes cards of the reviewer's own scope, so a forged one changes nothing else.
        private static string HashOf(IEnumerable<int> ids) =>
            Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", ids))), 0, HashLength / 2);
    }

    /// <summary>
    /// The "show more" button under the cards: <paramref name="Shown"/> of <paramref name="Total"/> are shown; once all are,
    /// a line saying so, which takes the focus (<paramref name="Focus"/>) in the answer to the last "show more".
    /// </summary>
    public sealed record More(string BasePath, int Total, int Shown, bool Focus = false);

    /// <summary>
    /// What a panel shows after an answer that changes only its parts (a new annotation, "show more"): the
    /// <paramref name="Total"/>, the <paramref name="Cards"/> it then sends, and "show more" for the rest;
    /// <paramref name="ShowMore"/> when it answers "show more" (its button, gone after the last page, had the focus).
    /// </summary>
    public sealed record Shown(string BasePath, int Total, ShownCards Cards, bool ShowMore = false);

    /// <summary>
    /// The answer to "show more" from a page whose cards are still the first ones: <paramref name="Panel"/> holds only the
    /// next page's cards (appended to the list) and the total; <paramref name="Cards"/> are the cards the page then shows.
    /// </summary>
    public sealed record NextPage(Model Panel, ShownCards Cards);

    /// <summary>The most cards a page is shown: more than any call has, but never absurdly many.</summary>
    public const int MaxCards = 100_000;

    /// <summary>How many cards a request asks for: at least a page, and never absurdly many.</summary>
    private static int Showing(int? requested) => Math.Clamp(requested ?? PageSize, PageSize, MaxCards);

    /// <summary>
    /// How many cards to show a page whose panel sent <paramref name="cards"/>: as many as it shows (see <see cref="Showing"/>),
    /// and a page more for "show more", still no more than <see cref="MaxCards"/> (a count past it would not parse back).
    /// </summary>
    public static int CardsToShow(string? cards, bool more = false) => CardsToShow(ShownCards.Parse(cards), more);

    private static int CardsToShow(ShownCards? cards, bool more) => Math.Min(Showing(cards?.Count) + (more ? PageSize : 0), MaxCards);

    /// <summary>A review page's markers and the key they are kept in memory (and rendered) under.</summary>
    public sealed record PageMarkers(IReadOnlyList<Annotation> Markers, string Key);

    /// <summary>
    /// The key the page's panel (no form, its first cards: <see cref="Handler.PageAsync"/>) is rendered once under: its cards'
    /// key and what the reader may do with them (<see cref="AnnotationAccess.MayChange"/>: a supervisor every card, anyone
    /// else their own), so a panel with one reader's Edit and Delete buttons is never shown to another.
    /// </summary>
    public static string PageKey(PageMarkers markers, CurrentUser user) =>
        $"{markers.Key}:{(user.IsIn(Roles.Supervisor) ? "any" : user.Id.ToString(CultureInfo.InvariantCulture))}";

    public sealed class Handler(IDbConnectionFactory db, NeedCategories.Handler categories, IMemoryCache cache)
    {
        private static string CardsSql(string where, string page) =>
            $"""
            SELECT a.Id, a.Kind, a.StartMs, a.EndMs, a.CategoryCode, {NeedCategories.DisplayName("a.Kind", "n")} AS CategoryName, a.Severity, a.Quote, a.Expected,
                   a.AuthorUserId, u.DisplayName AS AuthorName, a.CreatedAt, a.UpdatedAt
            FROM Annotation a
            JOIN NeedCategory n ON n.Code = a.CategoryCode
            JOIN UserAccount u ON u.Id = a.AuthorUserId
            WHERE a.CallId = @CallId AND a.DeletedAt IS NULL AND {ReviewScope.VisibleAnnotation("a")}{where}
            ORDER BY a.StartMs, a.Id {page}
            """;

        /// <summary>A page's parameters: the first <paramref name="limit"/> rows, or those after the card <paramref name="after"/>.</summary>
        private static object Parameters(ReviewScope scope, int? id = null, int limit = 0, (int Id, long StartMs) after = default) =>
            new { scope.CallId, scope.SessionId, scope.OnlyAuthor, id, Offset = 0, Limit = limit, AfterId = after.Id, AfterMs = after.StartMs };

        /// <summary>The annotations of the scope; in a calibration session only the participant's own.</summary>
        public async Task<IReadOnlyList<Annotation>> ListAsync(ReviewScope scope, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<Annotation>(CardsSql("", ""), Parameters(scope))).ToList();
        }

        /// <summary>One annotation of the scope, or null when it is not one (or not one the viewer may see).</summary>
        public async Task<Annotation?> FindAsync(ReviewScope scope, int id, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await connection.QuerySingleOrDefaultAsync<Annotation>(CardsSql(" AND a.Id = @id", ""), Parameters(scope, id));
        }

        /// <summary>Every annotation of the scope as a timeline marker (id, kind, times, category name), in time order.</summary>
        public async Task<IReadOnlyList<Annotation>> MarkersAsync(ReviewScope scope, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<Annotation>(
                $"""
                SELECT a.Id, a.Kind, a.StartMs, a.EndMs, {NeedCategories.DisplayName("a.Kind", "n")} AS CategoryName
                FROM Annotation a JOIN NeedCategory n ON n.Code = a.CategoryCode
                WHERE a.CallId = @CallId AND a.DeletedAt IS NULL AND {ReviewScope.VisibleAnnotation("a")}
                ORDER BY a.StartMs, a.Id
                """, Parameters(scope))).ToList();
        }

        /// <summary>
        /// <see cref="MarkersAsync"/> for a page, kept in memory under the call's annotation version and the names version
        /// (read with the call, raised by triggers on every write of either, migration 0022) and the reader's language:
        /// read once per change instead of on every view. Writes answer with what they read after writing, never from here.
        /// </summary>
        public async Task<PageMarkers> PageMarkersAsync(ReviewScope scope, Calls.CallAccess.VisibleCall call, CancellationToken ct)
        {
            var key = $"markers:{scope.CallId}:{scope.SessionId}:{scope.OnlyAuthor}:{call.AnnotationVersion}:{call.NamesVersion}:{CultureInfo.CurrentUICulture.Name}";
            var markers = await cache.GetOrCreateAsync(key, async entry =>
            {
                entry.SlidingExpiration = TimeSpan.FromMinutes(10);
                return await MarkersAsync(scope, ct);
            });
            return new PageMarkers(markers!, key);
        }

        /// <summary>
        /// The panel with the first <paramref name="shown"/> cards (see <see cref="Showing"/>), and what a write changed;
        /// a page that read the markers already knows the <paramref name="total"/>.
        /// </summary>
        public async Task<Model> LoadAsync(ReviewScope scope, CurrentUser user, Editor? form, bool readOnly, int shown, CancellationToken ct,
            MarkerChange? change = null, int? total = null)
        {
            IReadOnlyList<Annotation> items;
            await using (var connection = await db.OpenAsync(ct))
            {
                items = await CardsAsync(connection, scope, shown);
                total ??= items.Count < shown ? items.Count : await CountAsync(connection, scope);
            }
            // The categories are for the form's choices only: without a form the panel needs none.
            return new Model(scope, user, items, total.Value, form is null ? [] : await categories.ListAsync(activeOnly: false, ct), form, readOnly, change);
        }

        /// <summary>
        /// The page's panel (no form, the first page of cards), its cards kept in memory under the same key as its
        /// <paramref name="markers"/>: the names version covers the cards' author names too (migration 0023).
        /// </summary>
        public async Task<Model> PageAsync(ReviewScope scope, CurrentUser user, PageMarkers markers, CancellationToken ct)
        {
            var items = await cache.GetOrCreateAsync("cards:" + markers.Key, async entry =>
            {
                entry.SlidingExpiration = TimeSpan.FromMinutes(10);
                await using var connection = await db.OpenAsync(ct);
                return await CardsAsync(connection, scope, PageSize);
            });
            return new Model(scope, user, items!, markers.Markers.Count, [], null, ReadOnly: false);
        }

        /// <summary>
        /// The parts of the page a new annotation changes (see <see cref="Added"/>), for a page showing the cards
        /// <paramref name="cards"/>; null when it is gone already, or when the page's cards are not the first ones now
        /// (another reviewer or tab added or deleted one among them since): the card the new one goes before may then be
        /// one the page never showed, and only the whole panel puts the new card in its place. A count is not enough: one
        /// added and another deleted leave it as it was.
        /// </summary>
        public async Task<Added?> AddedAsync(ReviewScope scope, CurrentUser user, int id, ShownCards cards, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            if (await connection.QuerySingleOrDefaultAsync<Annotation>(CardsSql(" AND a.Id = @id", ""), Parameters(scope, id)) is not { } card)
                return null;
            // The first cards now, as many as the whole panel would show the page and one more for the new one
            // (IX_Annotation_CallId_StartMs, a few rows): without the new one they must be the page's.
            var shown = Showing(cards.Count);
            var first = (await connection.QueryAsync<int>(
                $"SELECT a.Id FROM Annotation a WHERE {InScope(scope)} ORDER BY a.StartMs, a.Id {db.Dialect.Page}",
                Parameters(scope, limit: shown + 1))).ToList();
            var shownIds = first.Where(other => other != id).Take(shown).ToList();
            if (!cards.Are(shownIds))
                return null;
            var total = first.Count <= shown ? first.Count : await CountAsync(connection, scope);
            var panel = new Model(scope, user, [], total, [], null, ReadOnly: false, new MarkerChange(id, card, Created: true));
            var index = first.IndexOf(id);
            if (index < 0 || index >= shown)
                return new Added(panel, shownIds, null);
            // It goes in front of the card that follows it, which the page shows (none: at the end of the list).
            return new Added(panel with { Items = [card] }, [.. shownIds.Take(index), id, .. shownIds.Skip(index)],
                index + 1 < first.Count ? first[index + 1] : null);
        }

        /// <summary>
        /// "Show more" for a page showing the cards <paramref name="cards"/>: the next page's cards alone (see
        /// <see cref="NextPage"/>) instead of the whole panel again (2.5 MB at 2,000 cards). Null when the page's cards are
        /// not the first ones now (another reviewer or tab added or deleted one among them): only the whole panel then shows
        /// the right ones.
        /// </summary>
        public async Task<NextPage?> NextPageAsync(ReviewScope scope, CurrentUser user, bool readOnly, ShownCards cards, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            // SQL Server fetches no fewer than 1 row: no rows to read (none shown, none past MaxCards) is no query.
            // Only the cards shown (IX_Annotation_CallId_StartMs), to check them against the page's.
            List<(int Id, long StartMs)> shown = cards.Count == 0 ? [] : (await connection.QueryAsync<(int, long)>(
                $"SELECT a.Id, a.StartMs FROM Annotation a WHERE {InScope(scope)} ORDER BY a.StartMs, a.Id {db.Dialect.Page}",
                Parameters(scope, limit: cards.Count))).ToList();
            List<int> shownIds = [.. shown.Select(card => card.Id)];
            if (!cards.Are(shownIds))
                return null;
            // The cards after the last one shown, not past as many as are shown: another reviewer's annotation added or
            // deleted among them since the check above would repeat a card (a second <li> of its id) or skip one.
            var limit = CardsToShow(cards, more: true) - cards.Count;
            var after = shown.Count == 0 ? "" : " AND a.StartMs >= @AfterMs AND (a.StartMs > @AfterMs OR a.Id > @AfterId)";
            List<Annotation> next = limit == 0 ? [] : (await connection.QueryAsync<Annotation>(CardsSql(after, db.Dialect.Page),
                Parameters(scope, limit: limit, after: shown.LastOrDefault()))).ToList();
            var total = next.Count < limit ? cards.Count + next.Count : await CountAsync(connection, scope);
            return new NextPage(new Model(scope, user, next, total, [], null, readOnly), ShownCards.Of([.. shownIds, .. next.Select(card => card.Id)]));
        }

        /// <summary>
        /// The scope's own conditions, not the parameterised ones (<see cref="ReviewScope.VisibleAnnotation"/>): a count then
        /// reads IX_Annotation_Trends alone (no row lookups), and a call with thousands of annotations counts them quickly.
        /// </summary>
        private static string InScope(ReviewScope scope) =>
            "a.CallId = @CallId AND a.DeletedAt IS NULL AND " +
            (scope.SessionId is null ? "a.CalibrationSessionId IS NULL" : "a.CalibrationSessionId = @SessionId") +
            (scope.OnlyAuthor is null ? "" : " AND a.AuthorUserId = @OnlyAuthor");

        private static Task<int> CountAsync(System.Data.Common.DbConnection connection, ReviewScope scope) =>
            connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM Annotation a WHERE {InScope(scope)}", Parameters(scope));

        private async Task<IReadOnlyList<Annotation>> CardsAsync(System.Data.Common.DbConnection connection, ReviewScope scope, int shown) =>
            (await connection.QueryAsync<Annotation>(CardsSql("", db.Dialect.Page), Parameters(scope, limit: shown))).ToList();

        /// <summary>The panel for the annotation form alone (new or edit): no cards.</summary>
        public async Task<Model> FormAsync(ReviewScope scope, CurrentUser user, Editor form, CancellationToken ct) =>
            new(scope, user, [], 0, await categories.ListAsync(activeOnly: false, ct), form, ReadOnly: false);

        /// <summary>The marker change after annotation <paramref name="id"/> was created or changed.</summary>
        public async Task<MarkerChange> ChangeAsync(ReviewScope scope, int id, bool created, CancellationToken ct) =>
            new(id, await FindAsync(scope, id, ct), created);

        /// <summary>An annotation's changes; null when it is not one the viewer may see in this scope.</summary>
        public async Task<IReadOnlyList<Change>?> HistoryAsync(ReviewScope scope, int id, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = new { id, scope.CallId, scope.SessionId, scope.OnlyAuthor };
            if (await connection.ExecuteScalarAsync<int>(
                    $"SELECT COUNT(*) FROM Annotation a WHERE a.Id = @id AND a.CallId = @CallId AND {ReviewScope.VisibleAnnotation("a")}", parameters) == 0)
                return null;
            var rows = await connection.QueryAsync<ChangeRow>(
                """
                SELECT c.Action, u.DisplayName AS UserName, c.ChangedAt, c.Snapshot
                FROM AnnotationChange c
                JOIN UserAccount u ON u.Id = c.UserId
                WHERE c.AnnotationId = @id
                ORDER BY c.Id
                """, parameters);
            var names = (await categories.ListAsync(activeOnly: false, ct)).ToDictionary(c => c.Code);
            Snapshot? before = null;
            var changes = new List<Change>();
            foreach (var row in rows)
            {
                var after = JsonSerializer.Deserialize<Snapshot>(row.Snapshot, SnapshotJson)!;
                var (action, details) = row.Action switch
                {
                    "create" => ("Created", Describe(null, after, names)),
                    "delete" => ("Deleted", []),
                    _ => ("Changed", Describe(before, after, names)),
                };
                changes.Add(new Change(action, row.UserName, row.ChangedAt, details));
                before = after;
            }
            return changes;
        }
    }

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>"field: old → new" for each field that differs; every set field's value when there is no before.</summary>
    private static IReadOnlyList<Message> Describe(Snapshot? before, Snapshot after, IReadOnlyDictionary<string, NeedCategories.Category> names)
    {
        // A value is a Message when it is the interface's words, a string when it is the reviewer's (said as written).
        Message none = "(none)";
        string Category(Snapshot s) => names.TryGetValue(s.Category, out var c) ? c.NameFor(s.Kind) : s.Category;
        static Message Kind(Snapshot s) => s.Kind == "exemplary" ? "Model moment" : "Unmet need";
        object Quoted(string text) => text.Length == 0 ? none : $"“{text}”";
        var fields = new (Message Name, Func<Snapshot, object> Value)[]
        {
            ("Kind", Kind),
            ("Time", s => TimeText.Range(s.StartMs, s.EndMs)),
            ("Category", Category),
            ("Severity", s => s.Severity?.ToString(CultureInfo.InvariantCulture) ?? (object)none),
            ("Quote", s => Quoted(s.Quote)),
            // Named as the annotation list and the learner's result name it, by what the moment is now.
            (after.Kind == "exemplary" ? "Why it works" : "Should have", s => Quoted(s.Expected)),
        };
        return fields
            .Select(f => (f.Name, Old: before is null ? null : f.Value(before), New: f.Value(after)))
            .Where(f => f.Old?.ToString() != f.New.ToString() && !(f.Old is null && f.New == none))
            .Select(f => f.Old is null ? new Message("{0}: {1}", f.Name, f.New) : new Message("{0}: {1} → {2}", f.Name, f.Old, f.New))
            .ToList();
    }
}
