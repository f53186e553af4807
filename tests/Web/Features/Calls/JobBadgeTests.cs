using System.Globalization;
using System.Text.Encodings.Web;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Shared;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallReview.Tests.Web.Features.Calls;

public sealed class JobBadgeTests
{
    private static readonly IStringLocalizer Text = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(Text));

    private static string Render(string? status, double progress = 0, JobFailure? failure = null, string culture = "en")
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            using var writer = new StringWriter();
            JobBadge.For(Text, status, progress, failure, detail: true).WriteTo(writer, HtmlEncoder.Default);
            return writer.ToString();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void For_EachStatus_WritesItsBadge()
    {
        Assert.Equal("<span class=\"status running\" title=\"Transcribing\"><progress max=\"100\" value=\"42\"></progress> 42%</span>", Render("running", 0.427));
        Assert.Equal("<span class=\"status done\">done</span>", Render("done"));
        Assert.Equal("<span class=\"status\">—</span>", Render(null));
    }

    [Fact]
    public void For_AnotherLanguage_NamesTheStatusInIt()
    {
        Assert.DoesNotContain(">done<", Render("done", culture: "it"));
    }

    [Fact]
    public void For_FailedJob_EncodesTheDetail()
    {
        var html = Render("failed", failure: new JobFailure(JobFailure.Failed, [], "ffmpeg said <script>\"x\"</script>"));

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("<small class=\"error-detail\">ffmpeg said &lt;script&gt;&quot;x&quot;&lt;/script&gt;</small>", html);
    }
}
