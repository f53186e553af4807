using CallReview.Transcription;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Redaction;

namespace CallReview.Tests.Transcription.Redaction;

/// <summary>The detector's rules on transcripts as speech recognition writes them; each finding names the rule that fired.</summary>
public sealed class CardDataDetectorTests
{
    private static TranscriptTurn Agent(long startMs, string text) => new(0, "agent", startMs, startMs + 2000, text, "en");
    private static TranscriptTurn Customer(long startMs, string text) => new(1, "customer", startMs, startMs + 3000, text, "en");

    [Theory]
    [InlineData("4539148803436467", true)]
    [InlineData("4111111111111111", true)]
    [InlineData("378282246310005", true)]
    [InlineData("4539148803436468", false)]
    [InlineData("07700900123", false)]
    public void Luhn_KnownNumbers_PassOrFail(string digits, bool valid) => Assert.Equal(valid, CardDataDetector.Luhn(digits));

    [Fact]
    public void Redact_WrittenLuhnNumberTheCustomerAnnounces_MaskedToFirstSixLastFour()
    {
        var result = CardDataDetector.Redact([Customer(5000, "Yes the card is 4539 1488 034 36467, thanks.")]);

        Assert.Equal("Yes the card is 4539 14•• •••• 6467, thanks.", result.Turns[0].Text);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(CardDataKinds.CardNumber, finding.Kind);
        Assert.Equal("luhn-16 after card request", finding.Rule);
        Assert.Equal(1, finding.Channel);
        Assert.InRange(finding.StartMs, 5000 - CardDataDetector.PadMs, 5500);
        Assert.Equal(8000 + CardDataDetector.PadMs, finding.EndMs);
        Assert.DoesNotContain("8803", result.Turns[0].Text);
    }

    [Fact]
    public void Redact_CardNumberInTheMiddleOfALongTurn_MutesWhereItsDigitsAreNotTheWholeTurn()
    {
        var turn = new TranscriptTurn(1, "customer", 10_000, 30_000,
            "Right, let me just find my purse, it is somewhere in this bag, here it is: 4539 1488 0343 6467, and that is the one I always use for shopping online.", "en");

        var finding = Assert.Single(CardDataDetector.Redact([turn]).Findings);

        // The digits are said from about 16.5 s to 25 s of the turn's 10–30 s; the span takes them with a margin, and no more.
        Assert.InRange(finding.StartMs, 12_000, 16_000);
        Assert.InRange(finding.EndMs, 25_500, 28_000);
    }

    [Fact]
    public void Redact_TurnWithWordTimes_MutesFromTheFirstDigitWordToTheLast_NotByLetters()
    {
        // Said slowly at first, quickly after: by letters the digits would be placed seconds away from where they were said.
        string[] said = ["Right,", "let", "me", "find", "it,", "here:", "4539", "1488", "0343", "6467,", "and", "that", "is", "the", "one", "I", "use."];
        double[] at = [10, 13, 15, 17, 19, 21, 22, 22.8, 23.6, 24.4, 25.2, 25.5, 25.8, 26.1, 26.4, 26.7, 27];
        var words = said.Select((w, i) => new TimedWord(at[i], at[i] + 0.6, (i == 0 ? "" : " ") + w)).ToList();
        var turn = new TranscriptTurn(1, "customer", 10_000, 28_000, string.Concat(words.Select(w => w.Text)), "en", words);

        var finding = Assert.Single(CardDataDetector.Redact([turn]).Findings);

        Assert.Equal((22_000 - CardDataDetector.PadMs, 25_000 + CardDataDetector.PadMs), (finding.StartMs, finding.EndMs));
    }

    [Theory]
    // Words that do not spell the turn; a group of digits stretched over seconds and the rest crowded into the line's last
    // instant, as tiny.en timed a card turn: not trusted, the digits are placed by letters.
    [InlineData(false)]
    [InlineData(true)]
    public void Redact_WordTimesNotSpellingTheTurnOrImplausible_AreLeftForPlacementByLetters(bool spelled)
    {
        const string text = "Right, let me just find my purse, it is somewhere in this bag, here it is: 4539 1488 0343 6467, and that is the one I always use for shopping online.";
        var words = spelled
            ? text.Split(' ').Select((w, i) => i < 16 ? new TimedWord(10 + i * 0.5, 10.4 + i * 0.5, (i == 0 ? "" : " ") + w) : i == 16 ? new TimedWord(18, 26, " " + w) : new TimedWord(29, 29, " " + w)).ToList()
            : [new(10, 11, "Something"), new(11, 12, " else")];
        var turn = new TranscriptTurn(1, "customer", 10_000, 30_000, text, "en", words);

        var finding = Assert.Single(CardDataDetector.Redact([turn]).Findings);

        Assert.InRange(finding.StartMs, 12_000, 16_000);
        Assert.InRange(finding.EndMs, 25_500, 28_000);
    }

    [Fact]
    public void Redact_LuhnRunWithNoWordsAround_FiresThePlainLuhnRule()
    {
        var result = CardDataDetector.Redact([Customer(0, "4111-1111-1111-1111")]);

        Assert.Equal("luhn-16", Assert.Single(result.Findings).Rule);
        Assert.Equal("4111 11•• •••• 1111", result.Turns[0].Text);
    }

    [Theory]
    [InlineData("en", "It's four five three nine one four eight eight zero three four three six four six seven.")]
    [InlineData("it", "Allora, quattro cinque tre nove uno quattro otto otto zero tre quattro tre sei quattro sei sette.")]
    [InlineData("ro", "Deci, patru cinci trei nouă unu patru opt opt zero trei patru trei șase patru șase șapte.")]
    public void Redact_SpokenDigits_InEachLanguage_AreACardNumber(string language, string text)
    {
        var result = CardDataDetector.Redact([Customer(0, text) with { Language = language }]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal("luhn-16", finding.Rule);
        Assert.Contains("4539 14•• •••• 6467", result.Turns[0].Text);
        Assert.DoesNotContain("otto", result.Turns[0].Text);
        Assert.DoesNotContain("three four three", result.Turns[0].Text);
    }

    [Fact]
    public void Redact_RomanianDigitsAsWhisperMishearsThem_AfterAMangledCardRequest_AreACardNumber()
    {
        // As base-q5_1 wrote an espeak-ng card reading in redaction-benchmark: "zero" as "nero", "nouă" as "nola", "șapte"
        // as "și apte", "șase" as "șate", two digits run together, and "cardului" as "că ardui".
        var result = CardDataDetector.Redact([
            Agent(0, "Îmi puteți spune numărul că ardui?") with { Language = "ro" },
            Customer(3000, "Da, este patru nola, șapte nero, cincinero, șate opt, 3 6 1 8, 5 8 8 nula.") with { Language = "ro" },
        ]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(CardDataKinds.CardNumber, finding.Kind);
        Assert.Equal("run-16 after card request", finding.Rule);
        Assert.DoesNotContain("3 6 1 8", result.Turns[1].Text);
    }

    [Theory]
    [InlineData("Numărul comemii este nero șate opt, patru patru nola doi, trei unu cinci doi.")]
    [InlineData("Este neroșate, șapte, unul trei patru nero doi opt și apte.")]
    public void Redact_RomanianOrderOrPhoneNumberMisheard_IsNotCardData(string text)
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Care este numărul dumneavoastră de telefon?") with { Language = "ro" },
            Customer(3000, text) with { Language = "ro" },
        ]);

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Redact_RomanianPayment_CardExpiryAndCodeAfterTheirPrompts_EachFoundByItsRule()
    {
        var ro = (TranscriptTurn t) => t with { Language = "ro" };
        var result = CardDataDetector.Redact([
            ro(Agent(0, "Îmi spuneți numărul cardului, vă rog?")),
            ro(Customer(3000, "Da, 4.5.3.9, 1.4.8.8, 0.3.4.3, 6.4.6.7.")),
            ro(Agent(8000, "Și data expirării?")),
            ro(Customer(11000, "Zero doi, douăzeci și opt.")),
            ro(Agent(15000, "Și codul de securitate de pe spatele cardului?")),
            ro(Customer(18000, "Șapte, trei, șapte.")),
        ]);

        Assert.Equal(
            [(CardDataKinds.CardNumber, "luhn-16 after card request"), (CardDataKinds.ExpiryDate, "run-4 after expiry request"),
                (CardDataKinds.SecurityCode, "run-3 after security-code request")],
            result.Findings.Select(f => (f.Kind, f.Rule)));
        Assert.Equal("••/••.", result.Turns[3].Text);
    }

    [Fact]
    public void Redact_AnsweredSecurityCodeRequest_DoesNotTakeALaterShortRunForAnotherCode()
    {
        // A date of birth read after the code was given, still within a minute of the agent's question and the card.
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the long card number please?"),
            Customer(3000, "4539 1488 0343 6467."),
            Agent(8000, "And the security code on the back of the card?"),
            Customer(11000, "7 3 7."),
            Agent(14000, "Thank you, that's all recorded."),
            Customer(17000, "Great. I was born in 1977, by the way."),
        ]);

        Assert.Equal([CardDataKinds.CardNumber, CardDataKinds.SecurityCode], result.Findings.Select(f => f.Kind));
        Assert.Contains("1977", result.Turns[5].Text);
    }

    [Theory]
    // A code corrected in the same turn, and said again in the customer's next turn: both answer the one request.
    [InlineData("1 2 3, sorry, 1 3 2.", null)]
    [InlineData("1 2 3.", "I mean 1 3 2.")]
    public void Redact_SecurityCodeSaidAgainOrCorrected_MaskedEachTime(string answer, string? again)
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the long card number please?"),
            Customer(3000, "4539 1488 0343 6467."),
            Agent(8000, "And the security code on the back of the card?"),
            Customer(11000, answer),
            Customer(14500, again ?? "Yes."),
        ]);

        Assert.DoesNotContain(result.Turns.Skip(3), turn => turn.Text.Any(char.IsAsciiDigit));
        Assert.Equal(2, result.Findings.Count(f => f.Kind == CardDataKinds.SecurityCode));
    }

    [Theory]
    // The agent did not catch the code and asks again: the code said again answers the same request, in each language.
    [InlineData("Sorry?", "7 3 7.")]
    [InlineData("Sorry, I didn't catch that.", "Seven three seven.")]
    [InlineData("Pardon, could you say that again please.", "7 3 7.")]
    [InlineData("Could you repeat that for me, the line is bad.", "7 3 7.")]
    [InlineData("Sorry, I didn't get the number.", "7 3 7.")]
    [InlineData("Mi scusi, può ripetere.", "sette tre sette")]
    [InlineData("Scusi, non ho capito.", "sette tre sette")]
    [InlineData("Poftim, puteți repeta.", "șapte trei șapte")]
    [InlineData("Scuzați, nu am înțeles.", "șapte trei șapte")]
    public void Redact_SecurityCodeRepeatedAfterTheAgentAsksAgain_IsMaskedBothTimes(string again, string repeated)
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the long card number please?"),
            Customer(3000, "4539 1488 0343 6467."),
            Agent(8000, "And the security code on the back of the card?"),
            Customer(11000, "7 3 7."),
            Agent(14500, again),
            Customer(17000, repeated),
        ]);

        Assert.Equal(CardDataDetector.HiddenCode + ".", result.Turns[3].Text);
        Assert.StartsWith(CardDataDetector.HiddenCode, result.Turns[5].Text);
        Assert.Equal(2, result.Findings.Count(f => f.Kind == CardDataKinds.SecurityCode));
    }

    [Theory]
    // "Sorry, go on" in the middle of a card number asks for the rest, not for the number again: the halves stay one card.
    [InlineData("Sorry, go on.")]
    [InlineData("Sorry?")]
    public void Redact_CardNumberInterruptedByARepeatRequest_IsStillOneNumberMasked(string between)
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the long card number please?"),
            Customer(3000, "4539 1488"),
            Agent(6500, between),
            Customer(7500, "0343 6467."),
        ]);

        Assert.DoesNotContain("1488", result.Turns[1].Text);
        Assert.DoesNotContain("0343", result.Turns[3].Text);
        Assert.All(result.Findings, f => Assert.Equal(CardDataKinds.CardNumber, f.Kind));
    }

    [Fact]
    public void Redact_DigitsSplitAcrossTheSpeakersTurns_AreOneNumberMaskedInEach()
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the long card number please?"),
            Customer(3000, "Sure, 4539 1488"),
            Agent(6500, "Mhm."),
            Customer(7000, "0343 6467."),
        ]);

        Assert.Equal(2, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.Equal("luhn-16 after card request", f.Rule));
        Assert.Equal("Sure, 4539 14••", result.Turns[1].Text);
        Assert.Equal("•••• 6467.", result.Turns[3].Text);
        Assert.Equal([3000 - CardDataDetector.PadMs, 7000 - CardDataDetector.PadMs], result.Findings.Select(f => f.StartMs));
    }

    [Fact]
    public void Redact_MangledRunFailingLuhnAfterACardRequest_IsACardNumberByContext()
    {
        // What the small model made of a Luhn-valid number read aloud: digits dropped, grouped oddly.
        var result = CardDataDetector.Redact([
            Agent(0, "What is the card number?"),
            Customer(2500, "459, 148, 034364677"),
        ]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(CardDataKinds.CardNumber, finding.Kind);
        Assert.Equal("run-15 after card request", finding.Rule);
        Assert.Equal("4591 48•• •••4 677", result.Turns[1].Text);
    }

    [Fact]
    public void Redact_RunLongerThanACardAfterACardRequest_ShowsOnlyItsFirstSix()
    {
        // Card, expiry and code read on as one line (as base-q5_1 wrote a Romanian reading): no "last four" to show.
        var result = CardDataDetector.Redact([
            Agent(0, "Îmi puteți spune numărul cardului?") with { Language = "ro" },
            Customer(3000, "Da, este 518342252212233312129951") with { Language = "ro" },
        ]);

        Assert.Equal("run-24 after card request", Assert.Single(result.Findings).Rule);
        Assert.Equal("Da, este 5183 42•• •••• •••• •••• ••••", result.Turns[1].Text);
    }

    [Fact]
    public void Redact_RunLongerThanACardWithALuhnValidStart_ShowsOnlyItsFirstSix()
    {
        // A valid 16-digit start may be chance: its "last four" could be the expiry or code read on, so they stay hidden.
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the card number please?"),
            Customer(3000, "Yes, 45391488034364670327123"),
        ]);

        Assert.Equal("luhn-16 at the start of a 23-digit run", Assert.Single(result.Findings).Rule);
        Assert.Equal("Yes, 4539 14•• •••• •••• •••• •••", result.Turns[1].Text);
    }

    [Fact]
    public void Redact_SecurityCodeAfterRequest_IsHiddenEntirely()
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Thank you. And the three digit security code on the back?"),
            Customer(3000, "7 3 7"),
        ]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((CardDataKinds.SecurityCode, "run-3 after security-code request"), (finding.Kind, finding.Rule));
        Assert.Equal(CardDataDetector.HiddenCode, result.Turns[1].Text);
    }

    [Theory]
    [InlineData("Qual è il codice di sicurezza?", "sette tre sette")]
    [InlineData("Care este codul de securitate?", "șapte trei șapte")]
    public void Redact_SecurityCodeSpokenInItalianOrRomanian_IsHidden(string request, string answer)
    {
        var result = CardDataDetector.Redact([Agent(0, request), Customer(3000, answer)]);

        Assert.Equal(CardDataKinds.SecurityCode, Assert.Single(result.Findings).Kind);
        Assert.Equal(CardDataDetector.HiddenCode, result.Turns[1].Text);
    }

    [Fact]
    public void Redact_ExpiryAndCodeAfterACardNumber_AreFoundWithoutBeingAskedFor()
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Go ahead with the card number."),
            Customer(2000, "4111 1111 1111 1111"),
            Customer(6000, "oh three twenty seven"),
            Customer(9000, "and 737"),
        ]);

        Assert.Equal(["luhn-16 after card request", "mmyy after card number", "run-3 after card number"], result.Findings.Select(f => f.Rule));
        Assert.Equal(CardDataDetector.HiddenDate, result.Turns[2].Text);
        Assert.Equal("and " + CardDataDetector.HiddenCode, result.Turns[3].Text);
    }

    [Fact]
    public void Redact_ExpiryAfterRequest_IsHidden()
    {
        var result = CardDataDetector.Redact([Agent(0, "And the expiry date?"), Customer(3000, "It's 03/27.")]);

        Assert.Equal("run-4 after expiry request", Assert.Single(result.Findings).Rule);
        Assert.Equal("It's ••/••.", result.Turns[1].Text);
    }

    [Theory]
    [InlineData("What's the best phone number to reach you?", "It's 0040 721 234 5670.")]
    [InlineData("Can you give me the order number?", "Yes, 4000 1234 5678 9010.")]
    [InlineData("How much was the charge?", "It was 49.99 and then 1,250.00 pounds.")]
    [InlineData("When did it happen?", "On 12 03 2024, around 10 30.")]
    [InlineData("Your account number please?", "12345678, sort code 20 00 00.")]
    public void Redact_Distractors_AreLeftAlone(string question, string answer)
    {
        var result = CardDataDetector.Redact([Agent(0, question), Customer(3000, answer)]);

        Assert.Empty(result.Findings);
        Assert.Equal(answer, result.Turns[1].Text);
    }

    [Fact]
    public void Redact_ShortRunAfterCardNumberButAboutAPhone_IsLeftAlone()
    {
        var result = CardDataDetector.Redact([
            Customer(0, "My card number is 4111 1111 1111 1111."),
            Agent(4000, "And the phone extension?"),
            Customer(6000, "It's 123."),
        ]);

        Assert.Single(result.Findings);
        Assert.Equal("It's 123.", result.Turns[2].Text);
    }

    [Fact]
    public void Redact_AnAmountSaidBeforeTheCardRequest_DoesNotHideTheRequest()
    {
        var result = CardDataDetector.Redact([
            Agent(0, "The amount due is 49.99 pounds. Can I take the long card number please?"),
            Customer(3000, "4279 6698 8319 243"),
        ]);

        Assert.Equal("run-15 after card request", Assert.Single(result.Findings).Rule);
    }

    [Fact]
    public void Redact_AnswersToSeparateQuestions_AreNotJoinedIntoOneNumber()
    {
        var result = CardDataDetector.Redact([
            Agent(0, "Can I take the card number?"),
            Customer(2000, "4111 1111 1111 1112"),
            Agent(5100, "And the expiry date?"),
            Customer(6000, "oh three two seven"),
        ]);

        Assert.Equal(["run-16 after card request", "run-4 after expiry request"], result.Findings.Select(f => f.Rule));
        Assert.Equal(CardDataDetector.HiddenDate, result.Turns[3].Text);
    }
}
