using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// Our scripts and stylesheets as tags, each URL with the file's version appended (<c>?v=</c> its hash, what
/// asp-append-version writes, kept and renewed by the same <see cref="IFileVersionProvider"/>). Written as plain HTML,
/// not through tag helpers: a tag helper element costs a page some 1.2 KB of allocations, and the review page had eleven.
/// Paths are from the site's root, as every link of the app is.
/// </summary>
public sealed class Assets(IFileVersionProvider versions)
{
    private enum Tag { Script, DeferredScript, Stylesheet }

    /// <summary>By versioned URL: a changed file is a new version, so a new entry.</summary>
    private readonly ConcurrentDictionary<(string Url, Tag Tag), HtmlString> _tags = new();

    /// <summary><c>&lt;script src="path?v=…"&gt;&lt;/script&gt;</c>, with <c>defer</c> when <paramref name="defer"/>.</summary>
    public IHtmlContent Script(string path, bool defer = false) => TagFor(path, defer ? Tag.DeferredScript : Tag.Script);

    /// <summary><c>&lt;link rel="stylesheet" href="path?v=…" /&gt;</c>.</summary>
    public IHtmlContent Stylesheet(string path) => TagFor(path, Tag.Stylesheet);

    private HtmlString TagFor(string path, Tag tag) =>
        _tags.GetOrAdd((versions.AddFileVersionToPath(PathString.Empty, path), tag), key =>
        {
            var url = HtmlEncoder.Default.Encode(key.Url);
            return new HtmlString(key.Tag switch
            {
                Tag.Script => $"<script src=\"{url}\"></script>",
                Tag.DeferredScript => $"<script src=\"{url}\" defer></script>",
                _ => $"<link rel=\"stylesheet\" href=\"{url}\" />",
            });
        });
}
