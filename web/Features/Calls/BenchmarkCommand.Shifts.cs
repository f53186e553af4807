using System.Globalization;
using CallReview.Transcription;
using CallReview.Transcription.Audio;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// <c>benchmark … --shifts 0,5,10,…</c>: word errors with every file shifted by a few milliseconds of silence at its
/// start. The shift is inaudible, yet with tiny.en any change to what the encoder sees flips words on some call, so one
/// run's count is one draw: our passes and whisper-cli's each move by 10–20 errors over the nine sample calls. Each pass
/// runs once per file and shift (text does not depend on timing); the table gives every shift's errors and worst turn
/// start (where the files have their timing), the errors' mean and spread, and how far our first pass stands from
/// whisper-cli's shift by shift.
/// </summary>
public sealed partial class BenchmarkCommand
{
    private async Task<int> RunShiftsAsync(IReadOnlyList<string> files, IReadOnlyList<int> shifts, ChannelLayout layout, string language,
        string model, TranscriptionOptions options, string? cli, CancellationToken ct)
    {
        var scripts = new List<(string File, string Script, bool English, IReadOnlyList<TimingTurn>? Truth)>();
        // Per channel only when every file has two: a pass summed over some of the files would not compare.
        var perChannel = layout != ChannelLayout.Mono;
        foreach (var file in files)
        {
            perChannel &= (await probe.ProbeAsync(file, AudioLimits.None, ct)).Channels == 2;
            var (truth, written) = await ReadTruthAsync(file, ct);
            if (written?.Turns is not { Count: > 0 } said)
                throw new InvalidOperationException($"--shifts counts word errors: {Path.GetFileName(file)} has no script ({Path.GetFileName(ScriptPath(file))}) beside it");
            scripts.Add((file, string.Join(" ", said.Select(t => t.Text)), written.Language == "en", truth));
        }
        var normalized = scripts.All(s => s.English);
        // Turn starts too, where every file has its timing: a change that keeps the words can still move a line's start.
        var timed = scripts.All(s => s.Truth is not null);
        var words = scripts.Sum(s => WordErrorRate.Words(s.Script).Length);
        Console.WriteLine();
        Console.WriteLine($"word errors with every file shifted by a silence at its start ({files.Count} files, {words} script words"
            + $"{(normalized ? $", {scripts.Sum(s => WordErrorRate.NormalizedWords(s.Script).Length)} normalised" : "")}; errors{(normalized ? " / normalised" : "")})");

        var folder = Directory.CreateTempSubdirectory("callreview-shifts-");
        // Errors per pass (in the order the passes ran) and shift: raw, normalised.
        var labels = new List<string>();
        var errors = new List<(int Raw, int Normalized)[]>();
        try
        {
            for (var s = 0; s < shifts.Count; s++)
            {
                var totals = new Dictionary<string, (int Raw, int Normalized)>();
                var worstStart = new Dictionary<string, double>();
                foreach (var (file, script, _, truth) in scripts)
                {
                    var shifted = await ShiftedCopyAsync(file, shifts[s], folder.FullName, ct);
                    var info = await probe.ProbeAsync(shifted, AudioLimits.None, ct);
                    var passes = new List<Pass>();
                    foreach (var pass in OurPasses(shifted, info, perChannel, layout, model, options, language, ct))
                        passes.Add(await pass());
                    if (cli is not null)
                        passes.Add(await WhisperCliAsync(cli, shifted, model, options, language, ct));
                    File.Delete(shifted);
                    foreach (var pass in passes)
                    {
                        var raw = Count(WordErrorRate.Words(script), WordErrorRate.Words(pass.Text)).Errors;
                        var norm = normalized ? Count(WordErrorRate.NormalizedWords(script), WordErrorRate.NormalizedWords(pass.Text)).Errors : 0;
                        var (r, n) = totals.GetValueOrDefault(pass.Label);
                        totals[pass.Label] = (r + raw, n + norm);
                        if (truth is not null)
                        {
                            var starts = StartErrors([.. truth.Select(t => t with { Start = t.Start + shifts[s] / 1000.0 })], pass.Starts);
                            worstStart[pass.Label] = Math.Max(worstStart.GetValueOrDefault(pass.Label), starts.Max());
                        }
                    }
                }
                if (s == 0)
                {
                    labels.AddRange(totals.Keys);
                    errors.AddRange(labels.Select(_ => new (int, int)[shifts.Count]));
                    Console.WriteLine($"{"shift ms",8}  {string.Join("  ", labels.Select(l => $"{l,22}"))}{(timed ? "   worst turn start s, pass by pass" : "")}");
                }
                for (var p = 0; p < labels.Count; p++)
                    errors[p][s] = totals.GetValueOrDefault(labels[p]);
                Console.WriteLine($"{shifts[s],8}  {string.Join("  ", errors.Select(e => $"{Cell(e[s].Raw, e[s].Normalized, normalized),22}"))}"
                    + (timed ? "   " + string.Join(" ", labels.Select(l => worstStart[l].ToString("0.00", CultureInfo.InvariantCulture).PadLeft(5))) : ""));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        Console.WriteLine($"{"mean",8}  {string.Join("  ", errors.Select(e => $"{Cell(e.Average(x => x.Raw), e.Average(x => x.Normalized), normalized),22}"))}");
        Console.WriteLine($"{"sd",8}  {string.Join("  ", errors.Select(e => $"{Cell(Spread(e.Select(x => (double)x.Raw)), Spread(e.Select(x => (double)x.Normalized)), normalized),22}"))}");
        if (cli is not null && labels.Count > 1)
        {
            var ours = errors[0];
            var reference = errors[^1];
            var raw = ours.Zip(reference, (a, b) => (double)(a.Raw - b.Raw)).ToList();
            var norm = ours.Zip(reference, (a, b) => (double)(a.Normalized - b.Normalized)).ToList();
            Console.WriteLine(FormattableString.Invariant($"{labels[0]} against {labels[^1]}: {raw.Average():+0.0;-0.0;0} errors a shift (standard error {StandardError(raw):0.0})")
                + (normalized ? FormattableString.Invariant($", normalised {norm.Average():+0.0;-0.0;0} ({StandardError(norm):0.0})") : "")
                + $"; fewer errors on {raw.Count(d => d < 0)} of {raw.Count} shifts, as many on {raw.Count(d => d == 0)}");
        }
        return 0;

        static string Cell(double raw, double norm, bool normalized) => normalized
            ? FormattableString.Invariant($"{raw:0.#} / {norm:0.#}")
            : raw.ToString("0.#", CultureInfo.InvariantCulture);
        // The sample standard deviation; over n shifts a mean's standard error is it over the square root of n.
        static double Spread(IEnumerable<double> values)
        {
            var list = values.ToList();
            if (list.Count < 2)
                return 0;
            var mean = list.Average();
            return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        }
        static double StandardError(IReadOnlyList<double> values) => Spread(values) / Math.Sqrt(values.Count);
    }

    /// <summary>"0,5,10": shifts in whole milliseconds, at least one, none negative.</summary>
    private static List<int> Milliseconds(string list)
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shifts = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : -1).ToList();
        if (shifts.Count == 0 || shifts.Any(ms => ms < 0))
            throw new ArgumentException($"--shifts takes milliseconds separated by commas (0,5,10), not '{list}'");
        return shifts;
    }

    /// <summary>
    /// The file with <paramref name="milliseconds"/> of silence before every channel, as 32-bit float WAV at its own rate and
    /// channels (no sample of it changes: 0 ms gives the words the file itself gives).
    /// </summary>
    private async Task<string> ShiftedCopyAsync(string file, int milliseconds, string folder, CancellationToken ct)
    {
        var copy = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}-{milliseconds}ms.wav");
        await ProcessRunner.RunAsync(ffmpeg.FfmpegPath,
            ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", Path.GetFullPath(file),
             "-af", milliseconds > 0 ? $"adelay=delays={milliseconds}:all=1" : "anull", "-c:a", "pcm_f32le", copy],
            ffmpeg.ProcessTimeout, ct);
        return copy;
    }
}
