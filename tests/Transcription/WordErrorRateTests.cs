using CallReview.Transcription;

namespace CallReview.Tests.Transcription;

/// <summary>Word error rate as written, and after the usual English normalisation (each expected text is what OpenAI whisper's own normaliser gives; the rules of its left out here are listed on <see cref="EnglishWerNormalizer"/>).</summary>
public sealed class WordErrorRateTests
{
    [Theory]
    [InlineData("Your reference is S L four four two one.", "your reference is s l 4421")]
    [InlineData("I can give you twenty percent off for the next twelve months.", "i can give you 20% off for the next 12 months")]
    [InlineData("It was fifty five pounds.", "it was £55")]
    [InlineData("You'd get one hundred minutes to the U K.", "you would get 100 minutes to the u k")]
    [InlineData("It's B W, seven seven three one.", "it is b w 7731")]
    [InlineData("Uh, I can't. You're [BLANK_AUDIO] welcome (laughs).", "i can not you are welcome")]
    [InlineData("Mr. Patel won't pay £49.50 on the 15th.", "mister patel will not pay £49.50 on the 15th")]
    [InlineData("It's 447, 291, 08.", "it is 447 291 8")]
    [InlineData("double two oh seven", "2207")]
    [InlineData("two hundred and five people", "205 people")]
    [InlineData("The second one, please.", "the 2nd one please")]
    [InlineData("it is 3.5 per cent", "it is 3.5%")]
    [InlineData("one thousand two hundred", "1200")]
    // Its quirks too, alike for script and transcript: a sentence's last number runs into the next one's first.
    [InlineData("Twelfth of May, nineteen eighty-eight. Forty-two Mill Lane.", "12th of may 198842 mill lane")]
    [InlineData("Thirty days? It only took you one second.", "30 days it only took you 12nd")]
    public void EnglishNormalizer_WritesWhatWhispersNormalizerWrites(string text, string expected) =>
        Assert.Equal(expected, EnglishWerNormalizer.Normalize(text));

    [Fact]
    public void Normalized_NumbersAndContractionsWrittenEitherWay_AreNoErrors()
    {
        const string script = "Okay, you'll get thirty days. Your reference is four four two one.";
        const string transcript = "Okay, you will get 30 days. Your reference is 4421.";

        Assert.Equal(7 / 12.0, WordErrorRate.Compute(script, transcript), 3);
        Assert.Equal(0, WordErrorRate.ComputeNormalized(script, transcript));
    }

    [Fact]
    public void Errors_CountSubstitutionsDeletionsAndInsertions()
    {
        Assert.Equal(3, WordErrorRate.Errors(WordErrorRate.Words("the router is flashing red"), WordErrorRate.Words("the return is flashing red light now")));
        Assert.Equal(2, WordErrorRate.Errors(WordErrorRate.Words("four four two one"), WordErrorRate.Words("for four one")));
        Assert.Equal(0.5, WordErrorRate.Compute("four four two one", "for four one"));
    }
}
