namespace CallReview.Web.Features.Shared;

/// <summary>
/// The interface's words: <c>Text.resx</c> (English, the keys) and one <c>Text.{culture}.resx</c> per language
/// beside it. Views reach it as <c>L</c>, code through <c>IStringLocalizer&lt;Text&gt;</c>.
/// </summary>
public sealed class Text;
