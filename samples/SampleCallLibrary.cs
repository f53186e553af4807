using System.Text.Json;

namespace CallReview.Samples;

/// <summary>A shipped sample call: its script, the expert's annotations placed in seconds, and the transcript our pipeline made of it.</summary>
public sealed record SampleCall(
    string Slug,
    string Title,
    string Language,
    string Scenario,
    string AudioPath,
    string? ComparesWith,
    string? ModelAnswer,
    IReadOnlyList<SampleAnnotation> Annotations,
    SampleTranscript? Transcript);

public sealed record SampleAnnotation(string Kind, double Start, double End, string Category, int? Severity, string Quote, string Expected);

public sealed record SampleTranscript(string? Language, IReadOnlyList<SampleSegment> Segments);

public sealed record SampleSegment(string Speaker, int Channel, double Start, double End, string Text);

/// <summary>
/// Reads <c>samples/calls</c>: <c>&lt;slug&gt;.json</c> (script and expert annotations by turn), <c>.timing.json</c>
/// (where each turn landed when rendered) and <c>.transcript.json</c> (what <c>transcribe --json</c> made of the audio).
/// </summary>
public static class SampleCallLibrary
{
    private sealed record Script(string Slug, string Title, string Language, string Scenario, string? ComparesWith, string? ModelAnswer,
        List<ScriptAnnotation> Annotations);

    private sealed record ScriptAnnotation(string Kind, int Turn, string Category, int? Severity, string Quote, string Expected);

    private sealed record Timing(List<TimedTurn> Turns);

    private sealed record TimedTurn(int Index, double Start, double End);

    public static IReadOnlyList<SampleCall> Load(string directory)
    {
        var calls = new List<SampleCall>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".timing.json", StringComparison.Ordinal) || name.EndsWith(".transcript.json", StringComparison.Ordinal))
                continue;
            var script = Read<Script>(file);
            var timing = Read<Timing>(Path.ChangeExtension(file, ".timing.json"));
            var transcriptPath = Path.ChangeExtension(file, ".transcript.json");
            var annotations = script.Annotations.Select(a =>
            {
                var turn = timing.Turns.Single(t => t.Index == a.Turn);
                return new SampleAnnotation(a.Kind, turn.Start, turn.End, a.Category, a.Severity, a.Quote, a.Expected);
            }).ToList();
            calls.Add(new SampleCall(script.Slug, script.Title, script.Language, script.Scenario,
                Path.ChangeExtension(file, ".mp3"), script.ComparesWith, script.ModelAnswer, annotations,
                File.Exists(transcriptPath) ? Read<SampleTranscript>(transcriptPath) : null));
        }
        return calls;
    }

    /// <summary>The sample calls folder: configured, else shipped beside the app, else in the source checkout.</summary>
    public static string? FindDirectory(string? configured, string appDirectory, string? sourceCheckout)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return Directory.Exists(configured) ? configured : null;
        var beside = Path.Combine(appDirectory, "samples");
        if (Directory.Exists(beside) && Directory.EnumerateFiles(beside, "*.timing.json").Any())
            return beside;
        var inCheckout = sourceCheckout is null ? null : Path.Combine(sourceCheckout, "samples", "calls");
        return inCheckout is not null && Directory.Exists(inCheckout) ? inCheckout : null;
    }

    private static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonSerializerOptions.Web)
        ?? throw new InvalidDataException($"{path} is empty");
}
