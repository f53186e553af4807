using System.Globalization;
using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The scorecard of one reviewer for one call (or calibration session): the rubric version it was scored
/// with (the current one for a new scorecard), the answers and the server-computed score.
/// </summary>
public static class ScorecardPanel
{
    public sealed class Result
    {
        public int Id { get; init; }
        public int RubricVersionId { get; init; }
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
        public string Comment { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }
    }

    public sealed class Answer
    {
        public int CriterionId { get; init; }
        public int? Points { get; init; }
        public string Note { get; init; } = "";
        public string CitedAnnotationIds { get; init; } = "";

        /// <summary>False for a criterion a refused form left unanswered (or answered out of range): shown with no choice
        /// made, not as N/A, so that saving again does not quietly mark it not applicable.</summary>
        public bool Chosen { get; init; } = true;
    }

    /// <param name="CacheKey">
    /// Names exactly what the form's criteria and comment show, where the caller asked for it (the review page): they are
    /// rendered once under it. The antiforgery token the form writes after them is not, so every reader gets their own
    /// (another's would let them forge its owner's posts). Null for refused answers, shown as sent with their errors.
    /// </param>
    public sealed record Model(
        ReviewScope Scope,
        string RubricName,
        int RubricVersionNumber,
        IReadOnlyList<Scoring.Criterion> Criteria,
        Result? Saved,
        IReadOnlyDictionary<int, Answer> Answers,
        IReadOnlyList<Annotation> Annotations,
        bool ReadOnly,
        string? CacheKey = null)
    {
        public static string FieldFor(int criterionId) => $"Points[{criterionId}]";
    }

    /// <summary>A rubric version as a scorecard shows it, in the reader's language: the same for every reviewer.</summary>
    private sealed record RubricShown(string Name, int Number, IReadOnlyList<Scoring.Criterion> Criteria);

    private sealed class VersionRow
    {
        public int Id { get; init; }
        public int Number { get; init; }
        public string Name { get; init; } = "";
    }

    /// <summary>
    /// A row of the panel's one query: the current rubric version and the names version, then the reviewer's saved
    /// result (null columns when there is none) and one of its answers per row (null columns when it has none).
    /// </summary>
    private sealed class PanelRow
    {
        public int? CurrentVersionId { get; init; }
        public long NamesVersion { get; init; }
        public int? ResultId { get; init; }
        public int RubricVersionId { get; init; }
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
        public string Comment { get; init; } = "";
        public DateTimeOffset? UpdatedAt { get; init; }
        public int? CriterionId { get; init; }
        public int? Points { get; init; }
        public string Note { get; init; } = "";
        public string CitedAnnotationIds { get; init; } = "";
    }

    /// <param name="cache">
    /// Rubric versions as shown (name, number, criteria) by version, names version and language: a published version
    /// never changes (a change is a new version), its names in other languages are ContentName rows, whose every write
    /// raises the names version (migration 0022). Never the reviewer's answers.
    /// </param>
    public sealed class Handler(IDbConnectionFactory db, AnnotationPanel.Handler annotations, IMemoryCache cache)
    {
        private static readonly string PanelSql =
            $"""
            SELECT v.CurrentVersionId, (SELECT n.Version FROM NamesVersion n WHERE n.Id = 1) AS NamesVersion,
                   r.Id AS ResultId, r.RubricVersionId, r.Score, r.AutoFailed, r.Comment, r.UpdatedAt,
                   a.CriterionId, a.Points, a.Note, a.CitedAnnotationIds
            FROM (SELECT MAX(Id) AS CurrentVersionId FROM RubricVersion WHERE IsCurrent = 1) v
            LEFT JOIN ScorecardResult r ON r.CallId = @CallId AND r.ReviewerUserId = @reviewerId AND {ReviewScope.InSession("r")}
            LEFT JOIN ScorecardAnswer a ON a.ResultId = r.Id
            """;

        /// <summary>The panel with the saved answers, or with <paramref name="unsaved"/> answers that were refused (their errors are in ModelState).</summary>
        /// <remarks>
        /// <paramref name="markers"/>: the scope's annotations as markers, when the caller has them already; <paramref name="markersKey"/>
        /// names them (<see cref="AnnotationPanel.PageMarkers.Key"/>) where the panel is to be kept rendered (<see cref="Model.CacheKey"/>).
        /// </remarks>
        public async Task<Model> LoadAsync(ReviewScope scope, int reviewerId, bool readOnly, CancellationToken ct, SaveScorecard.Form? unsaved = null,
            IReadOnlyList<Annotation>? markers = null, string? markersKey = null)
        {
            await using var connection = await db.OpenAsync(ct);
            // One statement for what is the reviewer's own: every statement costs its preparing, more than its reading.
            var rows = (await connection.QueryAsync<PanelRow>(PanelSql, new { scope.CallId, scope.SessionId, reviewerId })).ToList();
            var first = rows[0];
            var saved = first.ResultId is not { } resultId ? null : new Result
            {
                Id = resultId, RubricVersionId = first.RubricVersionId, Score = first.Score, AutoFailed = first.AutoFailed,
                Comment = first.Comment, UpdatedAt = first.UpdatedAt!.Value,
            };
            var versionId = saved?.RubricVersionId ?? first.CurrentVersionId ?? throw new InvalidOperationException("No current rubric version.");
            var rubric = (await cache.GetOrCreateAsync((typeof(RubricShown), versionId, first.NamesVersion, ContentNames.Culture), async entry =>
            {
                entry.SlidingExpiration = TimeSpan.FromMinutes(10);
                var version = await connection.QuerySingleAsync<VersionRow>(
                    $"""
                    SELECT v.Id, v.Number, {ContentNames.Sql(ContentNames.Rubric, ContentNames.IdCode("r.Id"), "r.Name")} AS Name FROM RubricVersion v JOIN Rubric r ON r.Id = v.RubricId
                    WHERE v.Id = @versionId
                    """, new { versionId });
                return new RubricShown(version.Name, version.Number, await CriteriaAsync(connection, version.Id));
            }))!;
            var answers = unsaved is not null ? rubric.Criteria.ToDictionary(c => c.Id, c => SaveScorecard.AnswerTo(unsaved, c))
                : rows.Where(row => row.CriterionId is not null).ToDictionary(row => row.CriterionId!.Value, row => new Answer
                {
                    CriterionId = row.CriterionId!.Value, Points = row.Points, Note = row.Note, CitedAnnotationIds = row.CitedAnnotationIds,
                });
            return new Model(scope, rubric.Name, rubric.Number, rubric.Criteria, saved, answers,
                markers ?? await annotations.MarkersAsync(scope, ct), readOnly,
                unsaved is null && markersKey is not null ? $"{markersKey}:{readOnly}:{VersionOf(versionId, first.NamesVersion, rows)}" : null);
        }

        /// <summary>
        /// What the panel shows of its own, for its <see cref="Model.CacheKey"/>: the rubric version and names version, the
        /// result and a hash of everything saved in it (its time alone would miss two saves within the same tick of the clock).
        /// A result is one reviewer's, so their answers are never another's.
        /// </summary>
        private static string VersionOf(int versionId, long namesVersion, List<PanelRow> rows)
        {
            var saved = new HashCode();
            foreach (var row in rows)
            {
                saved.Add(row.Score);
                saved.Add(row.AutoFailed);
                saved.Add(row.Comment);
                saved.Add(row.CriterionId);
                saved.Add(row.Points);
                saved.Add(row.Note);
                saved.Add(row.CitedAnnotationIds);
            }
            return string.Create(CultureInfo.InvariantCulture,
                $"{versionId}:{namesVersion}:{rows[0].ResultId}:{rows[0].UpdatedAt?.UtcTicks}:{saved.ToHashCode()}");
        }

        internal static Task<Result?> FindResultAsync(System.Data.Common.DbConnection connection, ReviewScope scope, int reviewerId,
            System.Data.Common.DbTransaction? tx = null) =>
            connection.QuerySingleOrDefaultAsync<Result>(
                $"""
                SELECT Id, RubricVersionId, Score, AutoFailed, Comment, UpdatedAt FROM ScorecardResult
                WHERE CallId = @CallId AND ReviewerUserId = @reviewerId
                  AND {ReviewScope.InSession(null)}
                """, new { scope.CallId, scope.SessionId, reviewerId }, tx);

        /// <summary>A rubric version's criteria, their sections, titles and guidance in the reader's language where one is given
        /// (as stored with <paramref name="asStored"/>: the rubric editor edits the stored words).</summary>
        internal static async Task<IReadOnlyList<Scoring.Criterion>> CriteriaAsync(System.Data.Common.DbConnection connection, int versionId,
            System.Data.Common.DbTransaction? tx = null, bool asStored = false) =>
            (await connection.QueryAsync<Scoring.Criterion>(
                $"""
                SELECT c.Id, c.RubricVersionId, {(asStored ? "c.Section, c.Title, c.Guidance"
                    : $"{ContentNames.CriterionSection("c")} AS Section, {ContentNames.CriterionTitle("c")} AS Title, {ContentNames.CriterionGuidance("c")} AS Guidance")},
                       c.Scale, c.MaxPoints, c.Weight, c.IsAutoFail, c.SortOrder
                FROM RubricCriterion c WHERE c.RubricVersionId = @versionId ORDER BY c.SortOrder, c.Id
                """, new { versionId }, tx)).ToList();
    }
}
