using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;

namespace CallReview.Web.Features.Review;

/// <summary>
/// Who may change or delete an annotation they can see: its author, and a supervisor (who corrects reviewers'
/// work). The page's buttons, its htmx routes and the JSON API all ask here. (Who may see it is the scope's
/// rule: <see cref="ReviewScopes"/>.)
/// </summary>
public static class AnnotationAccess
{
    public static bool MayChange(Annotation annotation, CurrentUser user) =>
        annotation.AuthorUserId == user.Id || user.IsIn(Roles.Supervisor);

    /// <summary>Why <paramref name="user"/> may not change the annotation found (or not found), else null.</summary>
    public static Outcome.Failure? Refusal(Annotation? annotation, CurrentUser user) =>
        annotation is null ? Outcome.NotFound : MayChange(annotation, user) ? null : Outcome.Forbidden;
}
