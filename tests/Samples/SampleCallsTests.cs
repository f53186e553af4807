using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallReview.Tests.Samples;

/// <summary>
/// The scripted sample calls in samples/calls (see samples/README.md): every call file is sound, points at real
/// turns and categories, and has its rendered stereo MP3 and a timing file that matches the current script.
/// </summary>
public class SampleCallsTests
{
    private static readonly string CallsDir = Path.Combine(RepoRoot.Path, "samples", "calls");

    /// <summary>The need category codes seeded by db/migrations/*/0003_annotations.sql.</summary>
    private static readonly string[] CategoryCodes =
    [
        "information-not-given", "wrong-information", "no-ownership", "timeliness", "complaint-mishandled",
        "no-empathy", "not-listening", "missed-opportunity", "rude-tone", "unresolved",
    ];

    private static IReadOnlyList<(string Slug, JsonElement Call)> LoadCalls() =>
        Directory.GetFiles(CallsDir, "*.json")
            .Where(f => !f.EndsWith(".timing.json", StringComparison.Ordinal) && !f.EndsWith(".transcript.json", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileNameWithoutExtension(f), JsonDocument.Parse(File.ReadAllText(f)).RootElement))
            .ToList();

    private static JsonElement LoadTiming(string slug) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(CallsDir, slug + ".timing.json"))).RootElement;

    private static string Str(JsonElement e, string name, string slug)
    {
        Assert.True(e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length > 0,
            $"{slug}: '{name}' must be a non-empty string");
        return v.GetString()!;
    }

    [Fact]
    public void There_are_enough_calls_in_each_language_and_both_good_and_bad_examples()
    {
        var calls = LoadCalls();
        Assert.True(calls.Count >= 8, $"expected at least 8 sample calls, found {calls.Count}");
        var languages = calls.Select(c => c.Call.GetProperty("language").GetString()).ToList();
        Assert.Contains("en", languages);
        Assert.Contains("it", languages);
        Assert.Contains("ro", languages);
        Assert.Contains("cs", languages);

        static IEnumerable<string> Kinds(JsonElement call) =>
            call.TryGetProperty("annotations", out var a) ? a.EnumerateArray().Select(x => x.GetProperty("kind").GetString()!) : [];
        Assert.Contains(calls, c => !Kinds(c.Call).Contains("unmet"));      // at least one good call
        Assert.Contains(calls, c => Kinds(c.Call).Contains("exemplary"));
        Assert.True(calls.Count(c => Kinds(c.Call).Contains("unmet")) >= calls.Count / 2, "most calls should show unmet needs");
    }

    [Fact]
    public void Category_codes_match_the_migration()
    {
        var sql = File.ReadAllText(Path.Combine(RepoRoot.Path, "db", "migrations", "sqlite", "0003_annotations.sql"));
        var seeded = Regex.Matches(sql, @"^\s*\('([a-z-]+)',", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Subset(seeded, CategoryCodes.ToHashSet());
    }

    [Fact]
    public void Every_call_file_is_well_formed()
    {
        var calls = LoadCalls();
        var slugs = calls.Select(c => c.Slug).ToHashSet();
        foreach (var (slug, call) in calls)
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", slug);
            Assert.Equal(slug, Str(call, "slug", slug));
            Str(call, "title", slug);
            Str(call, "scenario", slug);
            Assert.Contains(Str(call, "language", slug), new[] { "en", "it", "ro", "cs" });
            var agentVoice = Str(call, "agentVoice", slug);
            var customerVoice = Str(call, "customerVoice", slug);
            Assert.True(agentVoice != customerVoice, $"{slug}: agent and customer voices must differ");

            var turns = call.GetProperty("turns").EnumerateArray().ToList();
            Assert.InRange(turns.Count, 6, 20);
            Assert.Contains(turns, t => t.GetProperty("speaker").GetString() == "agent");
            Assert.Contains(turns, t => t.GetProperty("speaker").GetString() == "customer");
            foreach (var t in turns)
            {
                Assert.Contains(t.GetProperty("speaker").GetString(), new[] { "agent", "customer" });
                Str(t, "text", slug);
                if (t.TryGetProperty("pauseBefore", out var p))
                    Assert.InRange(p.GetDouble(), 0, 30);
            }
            var customerText = string.Join("\n", turns.Where(t => t.GetProperty("speaker").GetString() == "customer")
                .Select(t => t.GetProperty("text").GetString()));

            var annotations = call.GetProperty("annotations").EnumerateArray().ToList();
            Assert.True(annotations.Count > 0, $"{slug}: a sample call needs at least one annotation");
            foreach (var a in annotations)
            {
                var kind = Str(a, "kind", slug);
                Assert.Contains(kind, new[] { "unmet", "exemplary" });
                var category = Str(a, "category", slug);
                Assert.True(CategoryCodes.Contains(category), $"{slug}: unknown category '{category}'");
                var turn = a.GetProperty("turn").GetInt32();
                Assert.True(turn >= 0 && turn < turns.Count, $"{slug}: annotation points at turn {turn}, call has {turns.Count}");
                var hasSeverity = a.TryGetProperty("severity", out var sev) && sev.ValueKind == JsonValueKind.Number;
                if (kind == "unmet")
                    Assert.True(hasSeverity && sev.GetInt32() is >= 1 and <= 3, $"{slug}: unmet annotation at turn {turn} needs severity 1-3");
                else
                    Assert.False(hasSeverity, $"{slug}: exemplary annotations have no severity");
                var quote = Str(a, "quote", slug);
                Assert.True(customerText.Contains(quote, StringComparison.Ordinal), $"{slug}: quote is not the customer's words: {quote}");
                Str(a, "expected", slug);
            }

            if (call.TryGetProperty("comparesWith", out var other))
                Assert.Contains(other.GetString()!, slugs);
            if (call.TryGetProperty("modelAnswer", out _))
                Str(call, "modelAnswer", slug);
        }
    }

    [Fact]
    public void Every_call_has_a_timing_file_matching_its_script()
    {
        var render = File.ReadAllText(Path.Combine(RepoRoot.Path, "samples", "render.sh"));
        string Setting(string name) => Regex.Match(render, $@"^{name}=(\S+)", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value : throw new InvalidOperationException($"{name}= not found in render.sh");
        var header = $"render-version={Setting("RENDER_VERSION")} rate={Setting("RATE")} bitrate={Setting("BITRATE")} " +
                     $"speed={Setting("DEFAULT_SPEED")} pause={Setting("DEFAULT_PAUSE")} tail={Setting("TAIL")}\n";

        foreach (var (slug, call) in LoadCalls())
        {
            Assert.True(File.Exists(Path.Combine(CallsDir, slug + ".timing.json")), $"{slug}: no timing file, run samples/render.sh");
            var timing = LoadTiming(slug);
            var json = File.ReadAllBytes(Path.Combine(CallsDir, slug + ".json"));
            var lexicon = Path.Combine(RepoRoot.Path, "samples", $"festival-{call.GetProperty("language").GetString()}.scm");
            byte[] fixes = File.Exists(lexicon) ? File.ReadAllBytes(lexicon) : [];
            var hash = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(header), .. json, .. fixes]));
            Assert.True(hash == timing.GetProperty("sourceSha256").GetString(),
                $"{slug}: the call changed since it was rendered, run samples/render.sh");
            Assert.Equal(slug, timing.GetProperty("slug").GetString());

            var scriptTurns = call.GetProperty("turns").EnumerateArray().ToList();
            var turns = timing.GetProperty("turns").EnumerateArray().ToList();
            Assert.Equal(scriptTurns.Count, turns.Count);
            var previousEnd = 0.0;
            for (var i = 0; i < turns.Count; i++)
            {
                var start = turns[i].GetProperty("start").GetDouble();
                var end = turns[i].GetProperty("end").GetDouble();
                Assert.Equal(i, turns[i].GetProperty("index").GetInt32());
                Assert.Equal(scriptTurns[i].GetProperty("speaker").GetString(), turns[i].GetProperty("speaker").GetString());
                Assert.True(start >= previousEnd && end > start, $"{slug}: turn {i} {start}-{end} overlaps or is out of order");
                previousEnd = end;
            }
            Assert.True(timing.GetProperty("durationSeconds").GetDouble() >= previousEnd);

            var scriptAnnotations = call.GetProperty("annotations").EnumerateArray().ToList();
            var annotations = timing.GetProperty("annotations").EnumerateArray().ToList();
            Assert.Equal(scriptAnnotations.Count, annotations.Count);
            for (var i = 0; i < annotations.Count; i++)
            {
                var turn = scriptAnnotations[i].GetProperty("turn").GetInt32();
                Assert.Equal(turn, annotations[i].GetProperty("turn").GetInt32());
                Assert.Equal(turns[turn].GetProperty("start").GetDouble(), annotations[i].GetProperty("start").GetDouble());
                Assert.Equal(scriptAnnotations[i].GetProperty("category").GetString(), annotations[i].GetProperty("category").GetString());
            }
        }
    }

    [Fact]
    public void Every_call_has_a_stereo_mp3_and_the_audio_stays_small()
    {
        long total = 0;
        foreach (var (slug, _) in LoadCalls())
        {
            var mp3 = Path.Combine(CallsDir, slug + ".mp3");
            Assert.True(File.Exists(mp3), $"{slug}: no {slug}.mp3, run samples/render.sh");
            total += new FileInfo(mp3).Length;
            Assert.False(IsMonoByFrameHeader(mp3), $"{slug}.mp3: first MPEG frame is mono");
            var channels = FfprobeChannels(mp3);
            if (channels is not null)
                Assert.Equal("2", channels);
            var duration = LoadTiming(slug).GetProperty("durationSeconds").GetDouble();
            Assert.InRange(duration, 30, 150);
        }
        Assert.True(total < 8_500_000, $"sample audio is {total} bytes; keep it under ~8 MB");
    }

    /// <summary>Reads the channel mode of the first MPEG audio frame (no ID3 tag is written by render.sh).</summary>
    private static bool IsMonoByFrameHeader(string mp3)
    {
        var bytes = File.ReadAllBytes(mp3);
        var offset = 0;
        if (bytes.Length > 10 && bytes[0] == 'I' && bytes[1] == 'D' && bytes[2] == '3')
            offset = 10 + ((bytes[6] & 0x7f) << 21 | (bytes[7] & 0x7f) << 14 | (bytes[8] & 0x7f) << 7 | (bytes[9] & 0x7f));
        for (var i = offset; i + 3 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && (bytes[i + 1] & 0xE0) == 0xE0)
                return (bytes[i + 3] >> 6) == 3;
        }
        throw new InvalidOperationException($"{mp3}: no MPEG frame found");
    }

    /// <summary>The channel count from ffprobe, or null when ffprobe is not installed.</summary>
    private static string? FfprobeChannels(string mp3)
    {
        var psi = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=channels", "-of", "csv=p=0", mp3 })
            psi.ArgumentList.Add(arg);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"ffprobe failed on {mp3}");
            return output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // ffprobe not installed: the frame-header check above still applies
        }
    }
}
