using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// The admin page of a team's signal settings: each rule's threshold beside its published default and where that comes
/// from, the backchannel words and the phrase lists per language; the quality of each rule on the team's reviewed calls.
/// A save applies to calls processed from then on; the re-run applies it to the team's calls already transcribed.
/// </summary>
public static class SignalSettingsPage
{
    public sealed class Team
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
    }

    public sealed class Form
    {
        [Required] public int? TeamId { get; set; }
        [Range(0.5, 600)] public double DeadAirSeconds { get; set; }
        [Range(0.2, 60)] public double TalkOverSeconds { get; set; }
        [Range(0, 10)] public double BackchannelSeconds { get; set; }
        [Range(1, 100)] public double AgentTalkPercent { get; set; }
        [Range(60, 600)] public double AgentWordsPerMinute { get; set; }
        [Range(5, 3600)] public double MonologueSeconds { get; set; }
        [Range(0.5, 600)] public double ReplyGapSeconds { get; set; }
        [Range(10, 100)] public double RepeatOverlapPercent { get; set; }
        [Range(1, 3600)] public double HoldSeconds { get; set; }
        /// <summary>0 when the team's telephone system has no hold tone to listen for; telephone audio carries 300–3,400 Hz.</summary>
        [Range(0, 4000), Display(Name = "Hold tone (Hz)")] public double HoldToneHz { get; set; }
        [StringLength(4000)] public string? Backchannels { get; set; }
        /// <summary>Phrases per language code, one a line.</summary>
        public Dictionary<string, string> Phrases { get; set; } = new();
        [StringLength(8), RegularExpression("^[a-z]{2,3}$", ErrorMessage = "A language is a two- or three-letter code such as \"fr\".")]
        public string? NewLanguage { get; set; }
        [StringLength(20000), Display(Name = "Phrases of the new language")] public string? NewPhrases { get; set; }

        public static Form From(int teamId, SignalSettings s) => new()
        {
            TeamId = teamId, DeadAirSeconds = s.DeadAirSeconds, TalkOverSeconds = s.TalkOverSeconds, BackchannelSeconds = s.BackchannelSeconds,
            AgentTalkPercent = s.AgentTalkPercent, AgentWordsPerMinute = s.AgentWordsPerMinute, MonologueSeconds = s.MonologueSeconds,
            ReplyGapSeconds = s.ReplyGapSeconds, RepeatOverlapPercent = s.RepeatOverlapPercent, HoldSeconds = s.HoldSeconds, HoldToneHz = s.HoldToneHz,
            Backchannels = string.Join('\n', s.Backchannels),
            Phrases = s.Phrases.ToDictionary(p => p.Key, p => string.Join('\n', p.Value)),
        };

        public SignalSettings ToSettings()
        {
            var phrases = Phrases.Where(p => p.Key.Length is >= 2 and <= 8).ToDictionary(p => p.Key.Trim().ToLowerInvariant(), p => Lines(p.Value));
            if (NewLanguage is { Length: > 0 } language && Lines(NewPhrases) is { Count: > 0 } added)
                phrases[language] = added;
            return new SignalSettings
            {
                DeadAirSeconds = DeadAirSeconds, TalkOverSeconds = TalkOverSeconds, BackchannelSeconds = BackchannelSeconds,
                AgentTalkPercent = AgentTalkPercent, AgentWordsPerMinute = AgentWordsPerMinute, MonologueSeconds = MonologueSeconds,
                ReplyGapSeconds = ReplyGapSeconds, RepeatOverlapPercent = RepeatOverlapPercent, HoldSeconds = HoldSeconds, HoldToneHz = HoldToneHz,
                Backchannels = Lines(Backchannels),
                Phrases = phrases.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value),
            };
        }

        private static IReadOnlyList<string> Lines(string? text) =>
            (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Take(500).ToList();
    }

    /// <remarks><paramref name="CategoryNames"/>: each rule's category by code, in the reader's language.</remarks>
    public sealed record Model(IReadOnlyList<Team> Teams, Team? Selected, Form Form, bool Customised, IReadOnlyList<SignalQuality.Row> Quality, int ReviewedCalls,
        IReadOnlyDictionary<string, string> CategoryNames);

    public sealed class Handler(IDbConnectionFactory db, SignalSettingsStore store, SignalQuality.Handler quality, NeedCategories.Handler categories)
    {
        public async Task<Model?> LoadAsync(int? teamId, Form? shown, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var teams = (await connection.QueryAsync<Team>("SELECT Id, Name FROM Team ORDER BY Name")).ToList();
            var selected = teamId is { } id ? teams.FirstOrDefault(t => t.Id == id) : teams.FirstOrDefault();
            if (teamId is not null && selected is null)
                return null;
            if (selected is null)
                return new Model(teams, null, new Form(), false, [], 0, new Dictionary<string, string>());
            var customised = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM TeamSignalSettings WHERE TeamId = @Id", new { selected.Id }) > 0;
            var (rows, calls) = await quality.LoadAsync(selected.Id, ct);
            return new Model(teams, selected, shown ?? Form.From(selected.Id, await store.ForTeamAsync(connection, selected.Id)), customised, rows, calls,
                (await categories.ListAsync(activeOnly: false, ct)).ToDictionary(c => c.Code, c => c.Name));
        }

        public async Task<Outcome<int>> SaveAsync(Form form, int userId, CancellationToken ct)
        {
            await using (var connection = await db.OpenAsync(ct))
                if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Team WHERE Id = @TeamId", new { form.TeamId }) == 0)
                    return Outcome.NotFound;
            if (form.NewLanguage is { Length: > 0 } && string.IsNullOrWhiteSpace(form.NewPhrases))
                return Outcome.Invalid(nameof(Form.NewPhrases), "Give at least one phrase for the new language.");
            await store.SaveAsync(form.TeamId!.Value, form.ToSettings(), userId, ct);
            return Outcome.Done(form.TeamId.Value);
        }
    }
}
