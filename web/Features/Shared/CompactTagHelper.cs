using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// <c>&lt;compact&gt;</c>: writes its content without the templates' indentation (no element of its own). Put inside a
/// <c>&lt;cache&gt;</c>, it runs once per fill: a tenth of the review page's bytes was indentation, paid for on every
/// answer. Only template text can hold a line break followed by spaces: Razor's encoder writes a line break in any
/// shown value as <c>&amp;#xA;</c>, so words people typed keep every space. Written with the app's encoder, as the page
/// around it: the default one would spell out every letter outside Latin as a character reference.
/// </summary>
[HtmlTargetElement("compact")]
public sealed partial class CompactTagHelper(HtmlEncoder encoder) : TagHelper
{
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = null;
        var content = await output.GetChildContentAsync();
        output.Content.SetHtmlContent(Indentation().Replace(content.GetContent(encoder), "\n"));
    }

    [GeneratedRegex(@"\n[ \t]+")]
    private static partial Regex Indentation();
}
