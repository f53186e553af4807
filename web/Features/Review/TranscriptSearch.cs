using CallReview.Db;
using CallReview.Transcription;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// Full-text search across the transcripts of calls the user may open, in one language or all (a call can switch, so
/// each line has its own); each hit opens the call at its moment.
/// </summary>
public static class TranscriptSearch
{
    public sealed class Hit
    {
        public int CallId { get; init; }
        public string Title { get; init; } = "";
        public long StartMs { get; init; }
        public string Speaker { get; init; } = "";
        public string Text { get; init; } = "";
        public string? Language { get; init; }
    }

    /// <param name="Languages">The languages lines of the calls the user may see are in, for the filter.</param>
    public sealed record Model(string Query, string? Language, IReadOnlyList<Hit> Hits, IReadOnlyList<string> Words, IReadOnlyList<string> Languages);

    public sealed class Handler(IDbConnectionFactory db)
    {
        public const int Limit = 100;

        public async Task<Model> SearchAsync(string? query, string? language, CurrentUser user, CancellationToken ct)
        {
            query = (query ?? "").Trim();
            language = LanguageCode.Normalize(language) is { } code and not LanguageCode.Auto ? code : null;
            await using var connection = await db.OpenAsync(ct);
            // CallLanguage (kept by triggers on Segment): a row per call and language, not a read of every line.
            var languages = (await connection.QueryAsync<string>(
                $"SELECT DISTINCT cl.Language FROM CallLanguage cl JOIN Call c ON c.Id = cl.CallId WHERE {CallAccess.VisibleTo(user)} ORDER BY cl.Language",
                CallAccess.Parameters(user))).ToList();
            var term = db.Dialect.TextSearchTerm(query);
            if (term is null)
                return new Model(query, language, [], [], languages);
            var parameters = new DynamicParameters(CallAccess.Parameters(user));
            parameters.AddDynamicParams(new { term, language, Offset = 0, Limit });
            var hits = await connection.QueryAsync<Hit>(
                $"""
                SELECT s.CallId, c.Title, s.StartMs, s.Speaker, s.Text, s.Language
                FROM Segment s JOIN Call c ON c.Id = s.CallId
                WHERE {db.Dialect.TextSearch("s", "@term")} AND {CallAccess.VisibleTo(user)}{(language is null ? "" : " AND s.Language = @language")}
                ORDER BY c.StartedAt DESC, c.Id DESC, s.StartMs
                {db.Dialect.Page}
                """, parameters);
            return new Model(query, language, hits.ToList(), query.Split(' ', StringSplitOptions.RemoveEmptyEntries), languages);
        }
    }

    /// <summary>
    /// The text with the query's words in &lt;mark&gt;, everything encoded, and nothing added between the runs
    /// (a Razor loop put its line breaks there: "refund s team").
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Marked(string text, IReadOnlyList<string> words)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        foreach (var (piece, match) in Highlight(text, words))
        {
            if (match) html.AppendHtml("<mark>");
            html.Append(piece);
            if (match) html.AppendHtml("</mark>");
        }
        return html;
    }

    /// <summary>The text cut into (piece, matched) runs.</summary>
    public static IEnumerable<(string Text, bool Match)> Highlight(string text, IReadOnlyList<string> words)
    {
        var position = 0;
        while (position < text.Length)
        {
            var next = words.Select(w => (Word: w, At: text.IndexOf(w, position, StringComparison.OrdinalIgnoreCase)))
                .Where(x => x.At >= 0).OrderBy(x => x.At).FirstOrDefault();
            if (next.Word is null)
                break;
            if (next.At > position)
                yield return (text[position..next.At], false);
            yield return (text.Substring(next.At, next.Word.Length), true);
            position = next.At + next.Word.Length;
        }
        if (position < text.Length)
            yield return (text[position..], false);
    }
}
