using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The annotations side panel: the list (which the timeline reads its markers from), the new/edit form and
/// each annotation's history. One partial, <c>_Annotations</c>, for the page and every htmx swap.
/// </summary>
public static class AnnotationPanel
{
    public sealed class Item
    {
        public int Id { get; init; }
        public string Kind { get; init; } = "";
        public long StartMs { get; init; }
        public long? EndMs { get; init; }
        public string CategoryCode { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public int? Severity { get; init; }
        public string Quote { get; init; } = "";
        public string Expected { get; init; } = "";
        public int AuthorUserId { get; init; }
        public string AuthorName { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    public sealed class Change
    {
        public string Action { get; init; } = "";
        public string UserName { get; init; } = "";
        public DateTimeOffset ChangedAt { get; init; }
        public string Snapshot { get; init; } = "";
    }

    /// <summary>The form being shown: a new annotation (Id null) or an edit, with the errors of the last attempt.</summary>
    public sealed record Editor(int? Id, SaveAnnotation.Input Input, IReadOnlyDictionary<string, string> Errors);

    public sealed record Model(
        ReviewScope Scope,
        CurrentUser User,
        IReadOnlyList<Item> Items,
        IReadOnlyList<NeedCategories.Category> Categories,
        Editor? Form,
        bool ReadOnly)
    {
        public bool MayChange(Item item) => !ReadOnly && (item.AuthorUserId == User.Id || User.IsIn(Roles.Supervisor));
    }

    public sealed class Handler(IDbConnectionFactory db, NeedCategories.Handler categories)
    {
        /// <summary>The annotations of the scope; in a calibration session only the participant's own.</summary>
        public async Task<IReadOnlyList<Item>> ListAsync(ReviewScope scope, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var rows = await connection.QueryAsync<Item>(
                $"""
                SELECT a.Id, a.Kind, a.StartMs, a.EndMs, a.CategoryCode, {NeedCategories.DisplayName("a.Kind", "n")} AS CategoryName, a.Severity, a.Quote, a.Expected,
                       a.AuthorUserId, u.DisplayName AS AuthorName, a.CreatedAt, a.UpdatedAt
                FROM Annotation a
                JOIN NeedCategory n ON n.Code = a.CategoryCode
                JOIN UserAccount u ON u.Id = a.AuthorUserId
                WHERE a.CallId = @CallId AND a.DeletedAt IS NULL
                  AND {ReviewScope.VisibleAnnotation("a")}
                ORDER BY a.StartMs, a.Id
                """, new { scope.CallId, scope.SessionId, scope.OnlyAuthor });
            return rows.ToList();
        }

        public async Task<Model> LoadAsync(ReviewScope scope, CurrentUser user, Editor? form, bool readOnly, CancellationToken ct) =>
            new(scope, user, await ListAsync(scope, ct), await categories.ListAsync(activeOnly: false, ct), form, readOnly);

        /// <summary>An annotation's changes; null when it is not one the viewer may see in this scope.</summary>
        public async Task<IReadOnlyList<Change>?> HistoryAsync(ReviewScope scope, int id, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = new { id, scope.CallId, scope.SessionId, scope.OnlyAuthor };
            if (await connection.ExecuteScalarAsync<int>(
                    $"SELECT COUNT(*) FROM Annotation a WHERE a.Id = @id AND a.CallId = @CallId AND {ReviewScope.VisibleAnnotation("a")}", parameters) == 0)
                return null;
            var rows = await connection.QueryAsync<Change>(
                """
                SELECT c.Action, u.DisplayName AS UserName, c.ChangedAt, c.Snapshot
                FROM AnnotationChange c
                JOIN UserAccount u ON u.Id = c.UserId
                WHERE c.AnnotationId = @id
                ORDER BY c.Id
                """, parameters);
            return rows.ToList();
        }
    }
}
