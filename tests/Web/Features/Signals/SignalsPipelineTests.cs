using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallReview.Db;
using CallReview.Tests.Transcription;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>
/// Every rule on a call made for the test and run through the real pipeline: espeak-ng speaks each turn on its own
/// channel (agent left, customer right) at a chosen second, sox adds a quiet hold beep on the agent's channel; the call is
/// uploaded through the API, transcribed by the worker (whisper.cpp, trained tiny.en) and its signals computed by the
/// worker's follow-up step. Expected times come from where each turn's sound really starts and ends in the rendering.
/// Rendered and transcribed once for the class.
/// </summary>
public sealed class SignalsPipelineTests(SignalsPipelineTests.Fixture app) : IClassFixture<SignalsPipelineTests.Fixture>
{
    public sealed record Signal(string Rule, double Start, double End, double Value, double Threshold, string? Speaker, string Status, string Explanation);

    public sealed class Fixture : TranscribingApp, IAsyncLifetime
    {
        public const string Reviewer = "rex@test.local", Password = "reviewer-pass-1";
        /// <summary>The team's hold beep: 425 Hz (the European dial-tone frequency) at −40 dBFS, half a second.</summary>
        public const double ToneHz = 425;
        public const double DeadAir = 6.0, Hold = 12.0;

        public int CallId { get; private set; }
        public int Team { get; private set; }
        /// <summary>Where each scripted turn's sound starts and ends on the call's clock, by name.</summary>
        public Dictionary<string, (double Start, double End)> Spoken { get; } = new();
        public List<Signal> Signals { get; private set; } = [];
        public List<(string Speaker, double Start, double End, string Text)> Turns { get; private set; } = [];
        public int Interruptions { get; private set; }

        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            Team = await admin.CreateTeamAsync("Refunds");
            await admin.CreateUserAsync(Reviewer, "Rex Reviewer", Password, ["reviewer"], Team);
            // The team's telephone system beeps on hold, and hold counts from 8 s: set on the admin page before the call comes in.
            var form = (await SignalsFixture.SettingsFormAsync(admin, Team)).Where(f => f.Key is not ("HoldToneHz" or "HoldSeconds"))
                .Append(new("HoldToneHz", ToneHz.ToString(CultureInfo.InvariantCulture))).Append(new("HoldSeconds", "8")).ToList();
            Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/signals", form, $"/admin/signals?team={Team}")).StatusCode);

            var folder = Directory.CreateTempSubdirectory("signals-call-").FullName;
            var path = await RenderAsync(folder);

            CallId = await UploadThroughApiAsync(Reviewer, path, "Refunds");
            await Services.GetRequiredService<TranscriptionWorker>().RunAsync(stopWhenIdle: true, CancellationToken.None);

            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            Turns = (await connection.QueryAsync<(string, long, long, string)>(
                "SELECT Speaker, StartMs, EndMs, Text FROM Segment WHERE CallId = @CallId ORDER BY StartMs", new { CallId }))
                .Select(t => (t.Item1, t.Item2 / 1000.0, t.Item3 / 1000.0, t.Item4)).ToList();
            Signals = await SignalsAsync();
            Interruptions = await connection.ExecuteScalarAsync<int>("SELECT Interruptions FROM CallSignalMeasure WHERE CallId = @CallId", new { CallId });
            Directory.Delete(folder, recursive: true);
        }

        /// <summary>The call's signals through the API, as a reviewer of the team.</summary>
        public async Task<List<Signal>> SignalsAsync()
        {
            using var reviewer = await SignedInAsync(Reviewer, Password);
            var body = await reviewer.GetFromJsonAsync<JsonElement>($"/api/calls/{CallId}/signals");
            return body.GetProperty("signals").EnumerateArray().Select(s => new Signal(
                s.GetProperty("rule").GetString()!, s.GetProperty("start").GetDouble(), s.GetProperty("end").GetDouble(), s.GetProperty("value").GetDouble(),
                s.GetProperty("threshold").GetDouble(), s.GetProperty("speaker").GetString(), s.GetProperty("status").GetString()!,
                s.GetProperty("explanation").GetString()!)).ToList();
        }

        /// <summary>
        /// The script, placed turn by turn from each rendering's length: a question, 6 s of dead air, a long agent turn with three
        /// backchannels in it, the question asked again, the customer talking over the agent to escalate, 12 s of hold with two
        /// beeps, and the end.
        /// </summary>
        private async Task<string> RenderAsync(string folder)
        {
            var turns = new List<ScriptedStereoCall.Turn>();
            var at = 0.5;
            async Task Say(string name, string speaker, string text, double? start = null, double pauseAfter = 0.6)
            {
                var turn = new ScriptedStereoCall.Turn(speaker, start ?? at, text);
                var (from, to) = SoundOf(await ScriptedStereoCall.SpeakAsync(folder, turn, "measure.wav"));
                Spoken[name] = (turn.Start + from, turn.Start + to);
                turns.Add(turn);
                // The next turn starts a pause after this one's sound ends, unless it is said over it.
                if (start is null)
                    at = Spoken[name].End + pauseAfter;
            }
            await Say("greeting", "agent", "Thank you for calling Northwind, how can I help you today?");
            await Say("question", "customer", "When will the refund for my broken washing machine arrive?");
            await Say("check", "agent", "Let me check that for you.", pauseAfter: DeadAir);
            await Say("explain", "agent", "Thank you for waiting. I can see your order here, and all the details of the washing machine are on my screen now.");
            await Say("uh-huh", "customer", "Uh-huh.", start: Spoken["explain"].Start + 1.0);
            await Say("yes", "customer", "Yes.", start: Spoken["explain"].Start + 2.8);
            await Say("i see", "customer", "Right, okay, I see.", start: Spoken["explain"].Start + 4.2);
            await Say("again", "customer", "Can you tell me when the refund for the washing machine will arrive?");
            await Say("value", "agent", "We value you as a customer and we always try to process every refund as quickly as we possibly can.");
            await Say("escalate", "customer", "This is the third time I am calling. I want to speak to a manager.", start: Spoken["value"].Start + 2.0);
            at = Math.Max(Spoken["value"].End, Spoken["escalate"].End) + 0.6;
            await Say("hold", "agent", "I understand. Let me put you on hold while I fetch my manager.", pauseAfter: Hold);
            await Say("back", "agent", "Thank you for holding, my manager will call you back today.");
            await Say("bye", "customer", "Okay, thank you. Goodbye.");

            var speech = await ScriptedStereoCall.RenderAsync(folder, turns, at + 1);
            // The hold beeps, made and mixed in by sox onto the agent's (left) channel only.
            var holdStart = Spoken["hold"].End;
            string P(string name) => Path.Combine(folder, name);
            async Task Sox(params string[] arguments) => await ProcessRunner.RunAsync("sox", arguments, TimeSpan.FromSeconds(30));
            await Sox("-n", "-r", "16000", "-c", "1", "-b", "16", P("beep.wav"), "synth", "0.5", "sine", ToneHz.ToString(CultureInfo.InvariantCulture), "vol", "0.01");
            await Sox(P("beep.wav"), P("beep1.wav"), "pad", (holdStart + 3).ToString("0.000", CultureInfo.InvariantCulture), "0");
            await Sox(P("beep.wav"), P("beep2.wav"), "pad", (holdStart + 8).ToString("0.000", CultureInfo.InvariantCulture), "0");
            await Sox(speech, P("left.wav"), "remix", "1");
            await Sox(speech, P("right.wav"), "remix", "2");
            await Sox("-m", "-v", "1", P("left.wav"), "-v", "1", P("beep1.wav"), "-v", "1", P("beep2.wav"), P("left-beeps.wav"));
            await Sox("-M", P("left-beeps.wav"), P("right.wav"), P("refund-call.wav"));
            return P("refund-call.wav");
        }

        /// <summary>Where a rendering's sound starts and ends (espeak-ng pads its output with silence), in seconds.</summary>
        private static (double From, double To) SoundOf(ReadOnlyMemory<float> samples)
        {
            var span = samples.Span;
            int first = 0, last = span.Length - 1;
            while (first < last && Math.Abs(span[first]) < 0.01f)
                first++;
            while (last > first && Math.Abs(span[last]) < 0.01f)
                last--;
            return (first / (double)AudioDecoder.SampleRate, (last + 1) / (double)AudioDecoder.SampleRate);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>Turn edges come from speech detection and whisper's word times: right to a few tenths of a second.</summary>
    private const double Tolerance = 0.6;

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:0.00} s ± {Tolerance}, measured {actual:0.00} s");

    [Fact]
    public void DeadAir_TheSilenceAfterTheCheck_WithItsMeasuredLength()
    {
        var dead = Assert.Single(app.Signals, s => s.Rule == "dead_air");
        Near(app.Spoken["check"].End, dead.Start, "dead air start");
        Near(app.Spoken["explain"].Start, dead.End, "dead air end");
        Near(Fixture.DeadAir, dead.Value, "dead air length");
        Assert.Equal($"silence {dead.Value.ToString("0.0", CultureInfo.InvariantCulture)} s > 3 s", dead.Explanation);
        Assert.Equal("suggested", dead.Status);
    }

    [Fact]
    public void TalkOver_TheCustomerStartedSecond_IsCharged_TheBackchannelsAreNot()
    {
        var transcript = string.Join(" | ", app.Turns.Select(t => $"{t.Speaker} {t.Start:0.00}-{t.End:0.00} {t.Text}"));
        var over = Assert.Single(app.Signals, s => s.Rule == "talk_over");
        Assert.Equal("customer", over.Speaker);
        Near(app.Spoken["escalate"].Start, over.Start, "talk-over start");
        Assert.Equal(1, app.Interruptions);

        // "Uh-huh" and "yes" (under a second) and "right, okay, I see" (longer, but backchannel words only) were heard and
        // transcribed inside the agent's turn, and none is an interruption.
        foreach (var (name, shorterThanASecond) in new[] { ("uh-huh", true), ("yes", true), ("i see", false) })
        {
            var (start, end) = app.Spoken[name];
            Assert.True(end - start < 1 == shorterThanASecond, $"{name} lasts {end - start:0.00} s");
            Assert.True(app.Turns.Any(t => t.Speaker == "customer" && t.Start < end + Tolerance && t.End > start - Tolerance), $"{name} not transcribed: {transcript}");
            Assert.DoesNotContain(app.Signals, s => s.Rule == "talk_over" && s.Start < end + Tolerance && s.End > start - Tolerance);
        }
    }

    [Fact]
    public void Frustration_ThePhraseInTheCustomersTurn()
    {
        var phrases = app.Signals.Where(s => s.Rule == "frustration").ToList();
        Assert.NotEmpty(phrases);
        Assert.Contains(phrases, p => p.Explanation.Contains("speak to a manager", StringComparison.Ordinal));
        Assert.All(phrases, p =>
        {
            Assert.Equal("customer", p.Speaker);
            Assert.InRange(p.Start, app.Spoken["escalate"].Start - Tolerance, app.Spoken["escalate"].End + Tolerance);
        });
    }

    [Fact]
    public void RepeatedQuestion_TheSecondAskingPointsBackToTheFirst()
    {
        var repeated = Assert.Single(app.Signals, s => s.Rule == "repeated_question");
        Near(app.Spoken["again"].Start, repeated.Start, "repeated question start");
        Assert.Equal("customer", repeated.Speaker);
        Assert.True(repeated.Value >= 60, repeated.Explanation);
    }

    [Fact]
    public void LongHold_TheTeamsBeepInTheSilence_IsHoldNotDeadAir()
    {
        var hold = Assert.Single(app.Signals, s => s.Rule == "long_hold");
        Near(app.Spoken["hold"].End, hold.Start, "hold start");
        Near(app.Spoken["back"].Start, hold.End, "hold end");
        Near(Fixture.Hold, hold.Value, "hold length");
        Assert.Equal(8, hold.Threshold);
        Assert.DoesNotContain(app.Signals, s => s.Rule == "dead_air" && s.Start >= app.Spoken["hold"].End - Tolerance);
    }

    [Fact]
    public async Task Thresholds_ATeamsChangeAndReRun_ChangeTheSuggestions()
    {
        var admin = await app.AdminAsync();
        // Dead air from 8 s, and no hold tone: the 6 s silence is no longer dead air, the beeping hold now is.
        var form = (await SignalsFixture.SettingsFormAsync(admin, app.Team)).Where(f => f.Key is not ("DeadAirSeconds" or "HoldToneHz"))
            .Append(new("DeadAirSeconds", "8")).Append(new("HoldToneHz", "0")).ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/signals", form, $"/admin/signals?team={app.Team}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect,
            (await admin.PostFormAsync("/admin/signals/rerun", [new("team", app.Team.ToString(CultureInfo.InvariantCulture))], $"/admin/signals?team={app.Team}")).StatusCode);

        var after = await app.SignalsAsync();
        var dead = Assert.Single(after, s => s.Rule == "dead_air");
        Near(app.Spoken["hold"].End, dead.Start, "dead air start");
        Near(Fixture.Hold, dead.Value, "dead air length");
        Assert.Equal(8, dead.Threshold);
        Assert.DoesNotContain(after, s => s.Rule == "long_hold");
        // The rules that did not change find the same.
        Assert.Equal(app.Signals.Count(s => s.Rule == "talk_over"), after.Count(s => s.Rule == "talk_over"));
        Assert.Equal(app.Signals.Count(s => s.Rule == "repeated_question"), after.Count(s => s.Rule == "repeated_question"));
    }
}
