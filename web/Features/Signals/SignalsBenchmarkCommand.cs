using System.Diagnostics;
using System.Globalization;
using CallReview.Samples;
using CallReview.Transcription.Audio;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// Precision and recall of each rule on the sample calls: the rules with the default settings run on each sample's shipped
/// transcript and on its audio's agent-channel loudness (peaks made from the MP3 by ffmpeg), and their suggestions are
/// matched to the expert's unmet-need pins of the rule's category within the calibration tolerance (see <see cref="SignalQuality"/>).
/// </summary>
public sealed class SignalsBenchmarkCommand(IConfiguration configuration, CallReviewOptions options, FfmpegOptions ffmpeg) : ICliCommand
{
    public string Name => "signals-benchmark";
    public string Usage => "signals-benchmark [--samples <folder>] [--verbose]";
    public bool UsesDatabase => false;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var at = args.ToList().IndexOf("--samples");
        var directory = SampleCallLibrary.FindDirectory(at >= 0 && at + 1 < args.Count ? Path.GetFullPath(args[at + 1]) : configuration["CallReview:SamplesDirectory"],
            AppContext.BaseDirectory, options.SourceCheckout);
        if (directory is null)
        {
            Console.Error.WriteLine("No sample calls found: pass --samples <folder> (samples/calls of the checkout).");
            return 1;
        }
        var verbose = args.Contains("--verbose");
        var samples = SampleCallLibrary.Load(directory).Where(s => s.Transcript is not null).ToList();
        var peaksTool = new WaveformGenerator(ffmpeg);
        var suggestions = new List<SignalQuality.Moment>();
        var pins = new List<SignalQuality.Moment>();
        var started = Stopwatch.GetTimestamp();
        Console.WriteLine($"{samples.Count} sample calls with transcripts in {directory}; default settings; tolerance ±{Calibration.Agreement.DefaultToleranceMs / 1000} s");
        Console.WriteLine();
        Console.WriteLine($"{"call",-32} {"length",7} {"dead air",9} {"hold",6} {"interrupt",9} {"agent talk",10} {"signals",8}");
        foreach (var sample in samples)
        {
            var turns = sample.Transcript!.Segments
                .Select(s => new SignalRules.Turn(s.Speaker, (long)Math.Round(s.Start * 1000), (long)Math.Round(s.End * 1000), s.Text)).ToList();
            var agentChannel = sample.Transcript.Segments.FirstOrDefault(s => s.Speaker == "agent")?.Channel;
            var peaks = await peaksTool.ComputeAsync(sample.AudioPath, cancellationToken: ct);
            var levels = agentChannel is { } channel && channel < peaks.Channels ? ComputeSignals.LevelsPerSecond(peaks, channel) : null;
            var durationMs = (long)Math.Round(peaks.Duration * 1000);
            var result = SignalRules.Evaluate(turns, durationMs, sample.Transcript.Language ?? sample.Language, SignalSettings.Default, levels);
            suggestions.AddRange(result.Signals.Select(s => new SignalQuality.Moment(sample.Slug, s.StartMs, s.EndMs, s.Rule)));
            pins.AddRange(sample.Annotations.Where(a => a.Kind == "unmet")
                .Select(a => new SignalQuality.Moment(sample.Slug, (long)Math.Round(a.Start * 1000), (long)Math.Round(a.Start * 1000), a.Category)));
            var m = result.Measures;
            var talk = m.AgentTalkMs + m.CustomerTalkMs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sample.Slug,-32} {durationMs / 1000.0,6:0.0}s {100.0 * m.DeadAirMs / Math.Max(1, durationMs),8:0.0}% {m.HoldMs / 1000.0,5:0}s {m.Interruptions,9} {(talk == 0 ? 0 : 100.0 * m.AgentTalkMs / talk),9:0}% {result.Signals.Count,8}"));
            if (verbose)
                Explain(sample.Slug, result.Signals, sample.Annotations.Where(a => a.Kind == "unmet").Select(a => (a.Start, a.Category)).ToList());
        }
        Console.WriteLine();
        Console.WriteLine($"{"rule",-28} {"category",-22} {"suggested",9} {"expert pins",11} {"matched",7} {"precision",9} {"recall",6}");
        var rows = SignalQuality.Measure(suggestions, pins);
        foreach (var row in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Rule.Name,-28} {row.Rule.Category,-22} {row.Suggestions,9} {row.Pins,11} {row.Match.Matched,7} {Percent(row.Match.Precision),9} {Percent(row.Match.Recall),6}"));
        // Once against the pins of the categories the rules suggest, once against every unmet pin (content no timing rule sees included).
        var categories = SignalRule.All.Select(r => r.Category).ToHashSet();
        foreach (var (label, reference) in new[] { ("all rules, their categories", pins.Where(p => categories.Contains(p.Code)).ToList()), ("all rules, all unmet pins", pins) })
        {
            var all = SignalQuality.Overall(suggestions, reference);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-28} {"",-22} {all.Pins,9} {all.ReferencePins,11} {all.Matched,7} {Percent(all.Precision),9} {Percent(all.Recall),6}"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"took {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s (peaks from the audio included)"));
        return 0;
    }

    /// <summary>Each suggestion of a call with what it measured and the expert pin it matched, then the pins no rule found.</summary>
    private static void Explain(string slug, IReadOnlyList<SignalRules.Found> signals, IReadOnlyList<(double Start, string Category)> unmet)
    {
        var pins = unmet.Select(a => new SignalQuality.Moment(slug, (long)Math.Round(a.Start * 1000), (long)Math.Round(a.Start * 1000), a.Category)).ToList();
        var matched = SignalRule.All.SelectMany(rule => SignalQuality.Match(
            signals.Where(s => s.Rule == rule.Code).Select(s => new SignalQuality.Moment(slug, s.StartMs, s.EndMs, s.Rule)).ToList(),
            pins.Where(p => p.Code == rule.Category).ToList(), Calibration.Agreement.DefaultToleranceMs)).ToList();
        foreach (var s in signals)
        {
            var rule = SignalRule.Find(s.Rule)!;
            var pin = matched.Where(m => m.Suggestion.StartMs == s.StartMs && m.Suggestion.Code == s.Rule).Select(m => m.Pin).FirstOrDefault();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Shared.TimeText.Format(s.StartMs),8}–{Shared.TimeText.Format(s.EndMs),-8} {rule.Name,-28} {rule.Explain(s.Value, s.Threshold, s.Detail),-34} {(pin is null ? $"no {rule.Category} pin within 5 s" : $"matches the {pin.Code} pin at {Shared.TimeText.Format(pin.StartMs)}")}"));
        }
        foreach (var pin in pins.Where(p => !matched.Any(m => m.Pin == p)))
            Console.WriteLine($"  {Shared.TimeText.Format(pin.StartMs),8}  {"",-8} expert pin, no rule found it: {pin.Code}");
    }

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{100 * v:0}%") : "–";
}
