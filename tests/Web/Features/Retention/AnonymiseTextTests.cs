using CallReview.Web.Features.Retention;

namespace CallReview.Tests.Web.Features.Retention;

/// <summary>What retention leaves of a sentence: number words are masked in English and in the call's own language.</summary>
public sealed class AnonymiseTextTests
{
    [Theory]
    [InlineData("en", "My card ends four four six seven, twenty first of March.", "My card ends # # # #, # first of [name].")]
    [InlineData("en", "The refund is due tomorrow.", "The refund is due tomorrow.")]
    [InlineData("it", "La carta finisce con quattro quattro ventitré, sei sicuro?", "La carta finisce con # # #, sei sicuro?")]
    [InlineData("it", "Sono duecentocinquanta euro e due mila.", "Sono # euro e # #.")]
    [InlineData("ro", "Cardul se termină în patru nouă douăzeci și șapte.", "Cardul se termină în # # # și #.")]
    [InlineData("ro", "Codul este șaptesprezece, o sută.", "Codul este #, o #.")]
    public void AnonymiseText_MasksNumberWordsOfTheCallsLanguage(string language, string text, string expected) =>
        Assert.Equal(expected, CallDataRemoval.AnonymiseText(text, language));
}
