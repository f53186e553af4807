using CallReview.Web.Features.Retention;

namespace CallReview.Tests.Web.Features.Retention;

/// <summary>What an erasure takes out of a note written about a call: the customer's words and names, not the writer's.</summary>
public sealed class CustomerWordsTests
{
    private static readonly string[] Agent = ["Thank you for calling, my name is Sam. How can I help on this Monday?"];
    private static readonly string[] Customer = ["Hello, this is Mrs Zanzibarquokka, my card was charged twice for the Visa payment.", "I use the visa card, yes."];

    private static CustomerWords Words => new([.. Agent, .. Customer], Customer, ["CUST-42", "393401234567"], "en");

    [Theory]
    // The customer's name goes wherever written, sentence start too; the title before it is no name.
    [InlineData("Zanzibarquokka was upset. Call Mrs Zanzibarquokka back.", "[…] was upset. Call Mrs […] back.")]
    // Capitalised words the customer never said (a product, the agent), a day, a word the transcript also has in lower case: the writer's.
    [InlineData("Sam should have offered the Premium plan on Monday.", "Sam should have offered the Premium plan on Monday.")]
    [InlineData("The Visa charge was never explained.", "The Visa charge was never explained.")]
    // Their words verbatim or in quotation marks, identifiers, digits.
    [InlineData("She said \"refund me\" and my card was charged twice, see CUST-42, 12 minutes.", "She said […] and […], see […], ## minutes.")]
    public void Scrub_TakesTheCustomersWordsAndNamesOnly(string note, string expected) => Assert.Equal(expected, Words.Scrub(note));

    [Theory]
    // A tag is the customer's when it holds their identifiers, names or words; its own digits are staff's ("priority 1").
    [InlineData("Zanzibarquokka", true)]
    [InlineData("CUST-42", true)]
    [InlineData("priority 1", false)]
    [InlineData("tier-2", false)]
    [InlineData("one-off refund", false)]
    public void Holds_TagsWithTheCustomersWordsOnly(string tag, bool holds) => Assert.Equal(holds, Words.Holds(tag));
}
