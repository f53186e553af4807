namespace CallReview.Web.Features.Review;

/// <summary>
/// An annotation row as its table holds it, plus the names pages show (<see cref="CategoryName"/>,
/// <see cref="AuthorName"/>): the one class every query of <c>Annotation</c> reads into; each query selects the
/// columns its use needs.
/// </summary>
public sealed class Annotation
{
    public int Id { get; init; }
    public int CallId { get; init; }
    public int? CalibrationSessionId { get; init; }
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
    public DateTimeOffset? DeletedAt { get; init; }
}
