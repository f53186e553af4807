using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// The one-line notice the next page shows (<c>_Layout</c>). Kept as its English key and its figures, written in the
/// reader's culture now, and translated when shown: a language just chosen on /account already applies to its notice.
/// </summary>
public static class Flashes
{
    private const string Key = "Flash";

    /// <remarks>A figure that is itself a message ("20 files") is said now, in the language of the request that made it.</remarks>
    public static void Flash(this Controller controller, Message message)
    {
        var text = controller.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Text>>();
        controller.TempData[Key] = (string[])[message.Text, .. message.Args.Select(a => a is Message m ? m.In(text) : Convert.ToString(a, CultureInfo.CurrentCulture) ?? "")];
    }

    /// <summary>The notice left for this page, in the reader's language; null when there is none.</summary>
    /// <remarks>
    /// Read only when the request brought the notice's cookie: TempData once read is saved with the answer, and with
    /// nothing in it that is a header deleting the cookie on every page, and the provider's work for nothing.
    /// </remarks>
    public static string? Take(HttpContext context, ITempDataDictionary tempData, IStringLocalizer localizer) =>
        context.Request.Cookies.ContainsKey(context.RequestServices.GetRequiredService<IOptions<CookieTempDataProviderOptions>>().Value.Cookie.Name!)
        && tempData[Key] is string[] { Length: > 0 } message ? new Message(message[0], message[1..]).In(localizer) : null;
}
