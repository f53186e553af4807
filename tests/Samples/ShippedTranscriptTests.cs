using CallReview.Samples;

namespace CallReview.Tests.Samples;

/// <summary>
/// The transcripts shipped with the sample calls were made by our pipeline (samples/transcribe.sh); every turn
/// the script placed must start a transcript segment of the same speaker within 1.5 s — the accuracy reviewers
/// need to pin moments — and the expert's pins must land on the timeline.
/// </summary>
public sealed class ShippedTranscriptTests
{
    private static readonly IReadOnlyList<SampleCall> Calls = SampleCallLibrary.Load(Path.Combine(RepoRoot.Path, "samples", "calls"));

    [Fact]
    public void EverySample_ShipsATranscript()
    {
        Assert.NotEmpty(Calls);
        Assert.All(Calls, c => Assert.True(c.Transcript is { Segments.Count: > 0 }, $"{c.Slug}: run samples/transcribe.sh"));
    }

    [Fact]
    public void ShippedTranscripts_StartEveryScriptedTurnWithinOneAndAHalfSeconds()
    {
        var misses = new List<string>();
        foreach (var call in Calls.Where(c => c.Transcript is not null))
        {
            var timing = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(call.AudioPath, ".timing.json"))).RootElement;
            foreach (var turn in timing.GetProperty("turns").EnumerateArray())
            {
                var speaker = turn.GetProperty("speaker").GetString();
                var start = turn.GetProperty("start").GetDouble();
                if (!call.Transcript!.Segments.Any(s => s.Speaker == speaker && Math.Abs(s.Start - start) <= 1.5))
                    misses.Add($"{call.Slug} {speaker} turn at {start:0.0} s");
            }
        }
        Assert.True(misses.Count == 0, "turns without a segment starting within 1.5 s: " + string.Join("; ", misses));
    }

    [Fact]
    public void ShippedTranscripts_HaveTheSampleLanguage()
    {
        Assert.All(Calls.Where(c => c.Transcript is not null), c => Assert.Equal(c.Language, c.Transcript!.Language));
    }

    /// <summary>Only what people said: no U+FFFD from a character whose bytes whisper split, no non-speech markers.</summary>
    [Fact]
    public void ShippedTranscripts_HaveNoReplacementCharactersOrNonSpeechMarkers()
    {
        var bad = Calls.Where(c => c.Transcript is not null)
            .SelectMany(c => c.Transcript!.Segments
                .Where(s => s.Text.Contains('\uFFFD') || CallReview.Transcription.Whisper.NonSpeechMarkers.Remove(s.Text) != s.Text.Trim())
                .Select(s => $"{c.Slug} {s.Start:0.00} s: {s.Text}"))
            .ToList();
        Assert.True(bad.Count == 0, string.Join("; ", bad));
    }
}
