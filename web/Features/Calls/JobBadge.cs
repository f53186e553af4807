using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// A transcription job's status as a badge (the calls list and a call's page). Markup built here rather than in a
/// partial view: the calls list shows one per row, and a partial per row (view lookup, activation) was most of the
/// list's rendering time.
/// </summary>
public static class JobBadge
{
    public static IHtmlContent For(IStringLocalizer l, string? status, double progress, string? error)
    {
        var html = new HtmlContentBuilder();
        switch (status)
        {
            case "running":
                var percent = ((int)(progress * 100)).ToString(CultureInfo.InvariantCulture);
                html.AppendHtml("<span class=\"status running\" title=\"").Append(l["Transcribing"])
                    .AppendHtml($"\"><progress max=\"100\" value=\"{percent}\"></progress> {percent}%</span>");
                break;
            case "failed":
                html.AppendHtml("<span class=\"status failed\" title=\"").Append(error ?? "").AppendHtml("\">").Append(l["failed"])
                    .AppendHtml("</span> <small class=\"error-text\">").Append(error ?? "").AppendHtml("</small>");
                break;
            case null:
                html.AppendHtml("<span class=\"status\">—</span>");
                break;
            default:
                html.AppendHtml("<span class=\"status ").Append(status).AppendHtml("\">").Append(l[status]).AppendHtml("</span>");
                break;
        }
        return html;
    }
}
