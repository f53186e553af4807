using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;

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

    public sealed record Model(
        ReviewScope Scope,
        string RubricName,
        int RubricVersionNumber,
        IReadOnlyList<Scoring.Criterion> Criteria,
        Result? Saved,
        IReadOnlyDictionary<int, Answer> Answers,
        IReadOnlyList<Annotation> Annotations,
        bool ReadOnly)
    {
        public static string FieldFor(int criterionId) => $"Points[{criterionId}]";
    }

    private sealed class VersionRow
    {
        public int Id { get; init; }
        public int Number { get; init; }
        public string Name { get; init; } = "";
    }

    public sealed class Handler(IDbConnectionFactory db, AnnotationPanel.Handler annotations)
    {
        /// <summary>The panel with the saved answers, or with <paramref name="unsaved"/> answers that were refused (their errors are in ModelState).</summary>
        /// <remarks><paramref name="markers"/>: the scope's annotations as markers, when the caller has them already.</remarks>
        public async Task<Model> LoadAsync(ReviewScope scope, int reviewerId, bool readOnly, CancellationToken ct, SaveScorecard.Form? unsaved = null,
            IReadOnlyList<Annotation>? markers = null)
        {
            await using var connection = await db.OpenAsync(ct);
            var saved = await FindResultAsync(connection, scope, reviewerId);
            var version = await connection.QuerySingleAsync<VersionRow>(
                $"""
                SELECT v.Id, v.Number, {ContentNames.Sql(ContentNames.Rubric, ContentNames.IdCode("r.Id"), "r.Name")} AS Name FROM RubricVersion v JOIN Rubric r ON r.Id = v.RubricId
                WHERE {(saved is null ? "v.IsCurrent = 1" : "v.Id = @RubricVersionId")}
                ORDER BY v.Id DESC {db.Dialect.Page}
                """, new { saved?.RubricVersionId, Offset = 0, Limit = 1 });
            var criteria = await CriteriaAsync(connection, version.Id);
            var answers = unsaved is not null ? criteria.ToDictionary(c => c.Id, c => SaveScorecard.AnswerTo(unsaved, c)) : (saved is null ? new Dictionary<int, Answer>() :
                (await connection.QueryAsync<Answer>(
                    "SELECT CriterionId, Points, Note, CitedAnnotationIds FROM ScorecardAnswer WHERE ResultId = @Id", new { saved.Id }))
                .ToDictionary(a => a.CriterionId));
            return new Model(scope, version.Name, version.Number, criteria, saved, answers,
                markers ?? await annotations.MarkersAsync(scope, ct), readOnly);
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
