using CallReview.Web.Features.Accounts;

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
}
