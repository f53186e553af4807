namespace CallReview.Web.Features.Shared;

/// <summary>
/// One choice of a filter's drop-down (team, agent) as read by Dapper. A class with setters, not a positional
/// record: Dapper matches a record's constructor by column type, and SQLite types a computed column of an empty
/// result as bytes, so a page with no teams yet would fail.
/// </summary>
public sealed class FilterOption
{
    public string Value { get; init; } = "";
    public string Name { get; init; } = "";
}
