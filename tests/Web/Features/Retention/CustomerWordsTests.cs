using CallReview.Web.Features.Retention;

namespace CallReview.Tests.Web.Features.Retention;

/// <summary>What an erasure takes out of a note written about a call: the customer's words and names, not the writer's.</summary>
public sealed class CustomerWordsTests
{
    private static readonly string[] Agent =
    [
        "Thank you for calling, my name is Sam. How can I help on this Monday?",
        // The customer's first name and a name that is also a word, said only by the agent; a colleague and the title's words are no one's.
        "Thanks, Brenda. Mr Grant, I can grant you a refund on the Gold account, or ask my colleague Rita.",
    ];
    private static readonly string[] Customer = ["Hello, this is Mrs Zanzibarquokka, my card was charged twice for the Visa payment.", "I use the visa card, yes."];

    /// <summary>The agent's and other staff's display names and the call's title: not the customer's names.</summary>
    private static readonly string[] Staff = ["Sam Agent", "Rita Reviewer", "Gold account upgrade"];

    private static CustomerWords Words => new([.. Agent, .. Customer], Customer, ["CUST-42", "393401234567"], Staff, "en");

    [Theory]
    // The customer's name goes wherever written, sentence start too; the title before it is no name.
    [InlineData("Zanzibarquokka was upset. Call Mrs Zanzibarquokka back.", "[…] was upset. Call Mrs […] back.")]
    // Capitalised words the customer never said (a product, the agent), a day, a word the transcript also has in lower case: the writer's.
    [InlineData("Sam should have offered the Premium plan on Monday.", "Sam should have offered the Premium plan on Monday.")]
    [InlineData("The Visa charge was never explained.", "The Visa charge was never explained.")]
    // Names only the agent said, a name that is also an everyday word (the agent's "grant" does not make "Grant" no one's).
    [InlineData("Brenda asked twice; Mr Grant wanted a refund.", "[…] asked twice; Mr […] wanted a refund.")]
    // Staff's names and the title's words are the writer's, whoever said them on the call.
    [InlineData("Rita should have offered Gold to her.", "Rita should have offered Gold to her.")]
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
