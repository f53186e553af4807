using System.Text;
using CallReview.Tests.Transcription.Audio;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

/// <summary>What whisper writes that is not speech, and characters whose bytes whisper splits across segments.</summary>
public sealed class TranscriptTextTests
{
    [Theory]
    [InlineData("[BLANK_AUDIO]", "")]
    [InlineData("[Musica]", "")]
    [InlineData(" (upbeat music)", "")]
    [InlineData("*sighs*", "")]
    [InlineData("♪ ♪", "")]
    [InlineData("[ Silence ] .", "")]
    [InlineData("Hello [BLANK_AUDIO] there.", "Hello there.")]
    [InlineData(" Thanks for calling.", "Thanks for calling.")]
    public void NonSpeechMarkers_AreTakenOut(string text, string expected) =>
        Assert.Equal(expected, NonSpeechMarkers.Remove(text));

    /// <summary>Segment text as whisper.cpp hands it over: its bytes, one char per byte.</summary>
    private static string Raw(params byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void CharacterSplitAcrossSegments_IsJoinedIntoTheSegmentItStartsIn()
    {
        // "venì, che" with the two bytes of "ì" (C3 AC) on either side of the segment boundary.
        var segments = RawUtf8Text.Decode([
            (0.0, 1.0, Raw([.. Utf8("il numero ven"), 0xC3]), null),
            (1.0, 2.0, Raw([0xAC, .. Utf8(", che")]), null),
        ]);

        Assert.Equal(["il numero venì", ", che"], segments.Select(s => s.Text));
    }

    [Fact]
    public void ThreeByteCharacterOverThreeSegments_IsWholeAndTheEmptyMiddleSegmentDropped()
    {
        var euro = Utf8("€");
        var segments = RawUtf8Text.Decode([
            (0.0, 1.0, Raw([.. Utf8("costa 80 "), euro[0]]), null),
            (1.0, 1.5, Raw(euro[1]), null),
            (1.5, 2.0, Raw([euro[2], .. Utf8(" al mese")]), null),
        ]);

        Assert.Equal(["costa 80 €", "al mese"], segments.Select(s => s.Text));
        Assert.Equal([(0.0, 1.0), (1.5, 2.0)], segments.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public void BytesThatNeverFormACharacter_AreDropped_NotShownAsReplacementCharacters()
    {
        var segments = RawUtf8Text.Decode([(0.0, 1.0, Raw([.. Utf8("שלום "), 0xD7]), null)]);

        Assert.Equal("שלום", Assert.Single(segments).Text);
    }

    /// <summary>
    /// Real whisper (the multilingual base model) on speech rendered by espeak-ng in languages whose letters
    /// take two UTF-8 bytes: the transcript has the language's own letters and never U+FFFD or a marker.
    /// </summary>
    [Theory]
    [InlineData("it", "Buongiorno, la chiamo perché la bolletta di questo mese è più alta del solito. Può controllare?", "àèéìòù")]
    [InlineData("ro", "Bună ziua, vă sun pentru că factura de luna aceasta este mult prea mare și nu înțeleg de ce.", "ăâîșțş")]
    [InlineData("cs", "Dobrý den, volám kvůli faktuře, která je tento měsíc příliš vysoká. Můžete to prosím zkontrolovat?", "áéíóúůýčďěňřšťž")]
    [InlineData("he", "שלום, אני מתקשר בגלל החשבון של החודש הזה, הוא גבוה מדי.", "אבגדהוזחטיכלמנסעפצקרשת")]
    public async Task RealWhisper_NonEnglishSpeech_HasItsLettersAndNoReplacementCharacter(string language, string sentence, string letters)
    {
        NativeRequirement.Require();
        using var files = new AudioTestFiles();
        var spoken = files.PathOf($"{language}.wav");
        await ProcessRunner.RunAsync("espeak-ng", ["-v", language, "-s", "150", "-w", spoken, sentence], TimeSpan.FromSeconds(60));
        var wav = await files.FfmpegAsync($"{language}-16k.wav", "-i", spoken, "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le");
        using var model = WhisperModel.Load(TestData.Model("ggml-base-q5_1.bin"));

        var result = model.Transcribe(Wav.ReadMono16k(wav), new TranscriptionOptions { Language = language, Threads = 2 });

        var text = string.Join(" ", result.Segments.Select(s => s.Text));
        Assert.NotEmpty(result.Segments);
        Assert.DoesNotContain('\uFFFD', text);
        Assert.DoesNotContain('[', text);
        Assert.True(text.Any(c => letters.Contains(char.ToLowerInvariant(c))), $"no {language} letters in: {text}");
    }
}
