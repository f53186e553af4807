using System.Data.Common;
using System.Globalization;
using Dapper;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// Names of need categories, rubric criteria and badges (and badges' descriptions) in the reader's language (table ContentName: kind, code,
/// culture, name). A row's own name is the installation language's, and the fallback when a language has none.
/// </summary>
public static class ContentNames
{
    public const string Category = "category";
    /// <summary>A category's positive name, for model moments.</summary>
    public const string CategoryMet = "category-met";
    /// <summary>Code: the criterion's id.</summary>
    public const string Criterion = "criterion";
    /// <summary>A criterion's guidance; code: the criterion's id.</summary>
    public const string Guidance = "guidance";
    /// <summary>Code: the section as stored, which criteria and rubric versions share.</summary>
    public const string Section = "rubric-section";
    /// <summary>Code: the rubric's id.</summary>
    public const string Rubric = "rubric";
    public const string Badge = "badge";
    /// <summary>A badge's description; "badge-desc" since SQL Server's Kind holds 16 characters.</summary>
    public const string BadgeDescription = "badge-desc";

    /// <summary>The request's interface language as ContentName stores it; one of <see cref="Languages.All"/>, so safe to write into SQL.</summary>
    public static string? Culture => Languages.Normalize(CultureInfo.CurrentUICulture.Name);

    /// <summary>SQL for the name in the reader's language, else <paramref name="fallback"/>.</summary>
    /// <remarks>The subquery's alias is one no caller uses: a caller's "n" (a NeedCategory) would otherwise be hidden by it, and
    /// <c>n.Code = n.Code</c> would pick any category's name.</remarks>
    public static string Sql(string kind, string code, string fallback) => Culture is { } culture
        ? $"COALESCE((SELECT content_name.Name FROM ContentName content_name WHERE content_name.Kind = '{kind}' AND content_name.Code = {code} AND content_name.Culture = '{culture}'), {fallback})"
        : fallback;

    /// <summary>SQL for a criterion's title in the reader's language; <paramref name="criterion"/> is the RubricCriterion alias.</summary>
    public static string CriterionTitle(string criterion) => Sql(Criterion, IdCode(criterion + ".Id"), criterion + ".Title");

    public static string CriterionSection(string criterion) => Sql(Section, criterion + ".Section", criterion + ".Section");

    public static string CriterionGuidance(string criterion) => Sql(Guidance, IdCode(criterion + ".Id"), criterion + ".Guidance");

    /// <summary>SQL for an id as a Code: compared as text, since SQL Server would cast every Code to a number and fail on a category's.</summary>
    public static string IdCode(string id) => $"CAST({id} AS VARCHAR(20))";

    /// <summary>The names of one kind in the reader's language, by code.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> LoadAsync(DbConnection connection, string kind, DbTransaction? tx = null) =>
        Culture is { } culture
            ? (await connection.QueryAsync<(string Code, string Name)>(
                "SELECT Code, Name FROM ContentName WHERE Kind = @kind AND Culture = @culture", new { kind, culture }, tx)).ToDictionary(r => r.Code, r => r.Name)
            : new Dictionary<string, string>();
}
