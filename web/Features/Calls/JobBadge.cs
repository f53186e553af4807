using System.Globalization;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Shared;
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
    /// <summary>
    /// A failed job says why in the reader's language (<see cref="Reason"/>); <paramref name="detail"/> (admins) adds the
    /// stored technical text under it.
    /// </summary>
    public static IHtmlContent For(IStringLocalizer l, string? status, double progress, JobFailure? failure = null, bool detail = false)
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
                var reason = Reason(failure ?? new JobFailure(JobFailure.Failed, [], "")).In(l);
                html.AppendHtml("<span class=\"status failed\" title=\"").Append(reason).AppendHtml("\">").Append(l["failed"])
                    .AppendHtml("</span> <small class=\"error-text\">").Append(reason).AppendHtml("</small>");
                if (detail && failure is { Detail.Length: > 0 })
                    html.AppendHtml("<small class=\"error-detail\">").Append(failure.Detail).AppendHtml("</small>");
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

    /// <summary>A failure's key in words (English, the key of its translation) with its figures.</summary>
    public static Message Reason(JobFailure failure) => failure.Key switch
    {
        JobFailure.NoModel => new Message("No speech recognition model is installed on this machine; an administrator can download one."),
        JobFailure.ModelUnavailable => new Message("The model {0} is not available on this machine.", Arg(failure, 0)),
        JobFailure.ModelFailed => new Message("The speech recognition model could not be loaded."),
        JobFailure.UnknownLanguage => new Message("The speech recognition model does not know the language {0}.", Arg(failure, 0)),
        JobFailure.SpeechDetectionFailed => new Message("Speech detection failed on this recording."),
        JobFailure.RecordingMissing => new Message("The call's recording is missing from the data folder."),
        JobFailure.LongerThanItsHeaderSaid => new Message(
            "The recording is longer than the longest accepted ({0}), although its header said {1}; it was stopped at {0} and not transcribed.",
            Arg(failure, 0), Arg(failure, 1)),
        JobFailure.RecordingUnreadable => new Message("The recording could not be decoded."),
        JobFailure.WorkerStopped => new Message("The worker was stopped during this attempt."),
        JobFailure.WorkerDied => new Message("The worker stopped before finishing, on every attempt."),
        _ => new Message("Transcription failed unexpectedly."),
    };

    private static string Arg(JobFailure failure, int index) => index < failure.Args.Count ? failure.Args[index] : "";
}
