using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Signals;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>The review fixture's teams and people, with calls whose turns hold known silences, overlaps and phrases.</summary>
public class SignalsFixture : ReviewFixture
{
    /// <summary>Dead air 6.0–13.4 s (7.4 s), the customer talking over the agent at 15 s, and "speak to a manager".</summary>
    public static readonly TestCalls.Turn[] Turns =
    [
        new("agent", 0.5, 3.0, "Thank you for calling, how can I help?"),
        new("customer", 3.5, 6.0, "My invoice is wrong again."),
        new("agent", 13.4, 17.0, "I have your account here, the invoice shows the new tariff."),
        new("customer", 15.0, 19.0, "No, I want to speak to a manager about it."),
        new("customer", 19.3, 19.8, "Okay."),
        new("agent", 20.0, 23.0, "I will transfer you now."),
    ];

    public async Task<int> CallWithSignalsAsync(string title, int? teamId = null)
    {
        var callId = await this.InsertCallAsync(title, teamId ?? North, LeoId, Turns, durationSeconds: 25);
        await ComputeAsync(callId);
        return callId;
    }

    public async Task ComputeAsync(int callId)
    {
        using var scope = Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<ComputeSignals.Handler>().RunAsync(callId, default));
    }

    /// <summary>
    /// Replaces a call's waveform peaks with loudness only where its turns speak (agent left, customer right), so silences
    /// are silent, and with <paramref name="agentSound"/> (seconds) loud on the agent's channel: hold music.
    /// </summary>
    public static async Task WriteSpeechPeaksAsync(CallReviewApp app, int callId, IReadOnlyList<TestCalls.Turn> turns, double durationSeconds,
        (double Start, double End)? agentSound = null)
    {
        const int perSecond = 10;
        var count = (int)(durationSeconds * perSecond);
        int[] Channel(string speaker) => Enumerable.Range(0, count).SelectMany(i =>
        {
            var t = (i + 0.5) / perSecond;
            var loud = turns.Any(x => x.Speaker == speaker && x.Start <= t && t < x.End)
                || speaker == "agent" && agentSound is { } sound && sound.Start <= t && t < sound.End;
            return loud ? new[] { -60, 60 } : new[] { 0, 0 };
        }).ToArray();
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            version = 1, channels = 2, sampleRate = 16000, peaksPerSecond = perSecond, duration = durationSeconds, bits = 8,
            data = new[] { Channel("agent"), Channel("customer") },
        });
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var path = await connection.ExecuteScalarAsync<string>("SELECT PeaksPath FROM Recording WHERE CallId = @callId", new { callId });
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, path!), json);
    }

    /// <summary>The admin page's settings form of a team as it is shown: every threshold, the backchannels and each phrase list.</summary>
    public static async Task<List<KeyValuePair<string, string>>> SettingsFormAsync(HttpClient admin, int team)
    {
        var html = await admin.GetStringAsync($"/admin/signals?team={team}");
        var fields = Regex.Matches(html, "<input id=\"(\\w+)\" name=\"\\w+\" type=\"number\" step=\"any\" value=\"([^\"]*)\"")
            .Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(10, fields.Count);
        fields.AddRange(Regex.Matches(html, "<textarea (?:id=\"\\w+\" )?name=\"((?:Backchannels|Phrases\\[\\w+\\]))\" rows=\"\\d+\">([^<]*)</textarea>")
            .Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))));
        fields.Add(new("TeamId", team.ToString(CultureInfo.InvariantCulture)));
        return fields;
    }

    public async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
