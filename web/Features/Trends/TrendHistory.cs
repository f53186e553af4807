using System.Data.Common;
using Bogus;
using CallReview.Db;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// Writes weeks of made-up but plausible review history straight into the database: calls with metadata and a
/// short transcript, reviews (annotations and scorecards scored by the real <see cref="Scoring"/> rules),
/// acknowledgements, disputes and calibration sessions. Deterministic for a seed (Bogus with a fixed
/// randomizer). <c>seed-demo</c> uses it for a dashboard that tells a story; <c>trends-benchmark</c> for volume.
/// </summary>
public sealed class TrendHistory(IDbConnectionFactory db)
{
    /// <summary>How an agent's unmet needs per call move from the first week to the last, and which category dominates.</summary>
    public sealed record Profile(string Name, double StartRate, double EndRate, string WeakCategory);

    public static readonly IReadOnlyList<Profile> Profiles =
    [
        new("improving", 2.8, 0.8, "no-empathy"),
        new("steady", 1.6, 1.6, "timeliness"),
        new("slipping", 1.0, 2.3, "not-listening"),
        new("improving", 2.3, 1.0, "no-ownership"),
        new("steady", 1.2, 1.3, "information-not-given"),
        new("improving", 2.0, 0.9, "complaint-mishandled"),
        new("steady", 1.8, 1.7, "missed-opportunity"),
    ];

    public sealed record Agent(int UserId, string Name, Profile Profile, IReadOnlyList<(int TeamId, DateTimeOffset From)> Teams);

    public sealed class Plan
    {
        public required int Seed { get; init; }
        public required DateTimeOffset Start { get; init; }
        public required DateTimeOffset End { get; init; }
        public required IReadOnlyList<Agent> Agents { get; init; }
        /// <summary>Reviewers by team; the first reviewer of the agent's team at the time reviews the call.</summary>
        public required IReadOnlyDictionary<int, IReadOnlyList<int>> Reviewers { get; init; }
        public required int SupervisorId { get; init; }
        public required double CallsPerAgentPerWeekday { get; init; }
        /// <summary>Multiplies every agent's unmet-need rate (the benchmark raises it to reach its annotation count).</summary>
        public double RateScale { get; init; } = 1;
        public double ReviewedShare { get; init; } = 0.85;
        /// <summary>Scores from this moment on use rubric version 2 (created then, with changed weights and a new criterion).</summary>
        public DateTimeOffset? RubricChangeAt { get; init; }
        /// <summary>A team whose calls suddenly show more wrong information in these days (a price change nobody briefed).</summary>
        public (int TeamId, DateTimeOffset From, DateTimeOffset To)? Spike { get; init; }
        public bool Transcripts { get; init; } = true;
        public int CalibrationEveryDays { get; init; } = 10;
    }

    public sealed record Summary(IReadOnlyList<int> CallIds, int Reviews, int Annotations, int Disputes, int CalibrationSessions);

    private static readonly string[] Categories =
    [
        "information-not-given", "wrong-information", "no-ownership", "timeliness", "complaint-mishandled",
        "no-empathy", "not-listening", "missed-opportunity", "rude-tone", "unresolved",
    ];

    private static readonly Dictionary<string, (string Quote, string Expected)[]> Lines = new()
    {
        ["information-not-given"] = [("So when will the engineer actually come?", "Give the appointment window and what to prepare."), ("Nobody told me there was a fee for that.", "Explain the fee before the change is made.")],
        ["wrong-information"] = [("You said the refund would be there in two days.", "Check the refund timeline (5–7 working days) before promising."), ("The website says the price is lower.", "Confirm the current price list before quoting.")],
        ["no-ownership"] = [("So who is going to call me back?", "Own the case: give your name, a reference and a callback time."), ("I've been passed around three times already.", "Take the case yourself instead of transferring again.")],
        ["timeliness"] = [("I've been on hold for twenty minutes.", "Keep holds under two minutes or offer a callback."), ("Why does this take so long?", "Explain the delay and give a realistic time.")],
        ["complaint-mishandled"] = [("I want to make a formal complaint.", "Log the complaint and explain the next steps."), ("This is the third time I'm complaining.", "Escalate repeated complaints to a team lead.")],
        ["no-empathy"] = [("I'm really worried, I can't afford this.", "Acknowledge the worry before moving to the fix."), ("My father is in hospital and the line is dead.", "Recognise the situation and prioritise the repair.")],
        ["not-listening"] = [("That's not what I asked.", "Let the customer finish, then summarise their question."), ("Can you let me finish, please?", "Stop, listen, and confirm what they need.")],
        ["missed-opportunity"] = [("I didn't know there was a cheaper plan.", "Offer the plan that fits their usage."), ("Will this happen again next month?", "Set up the fix so it cannot recur.")],
        ["rude-tone"] = [("There's no need to talk to me like that.", "Stay courteous, especially under pressure."), ("Why are you sighing at me?", "Keep a calm, respectful tone.")],
        ["unresolved"] = [("So nothing is actually fixed?", "Agree a clear resolution or next step before ending."), ("I'll just have to call again then.", "Resolve it now or book the follow-up.")],
    };

    private static readonly string[] Reasons =
    [
        "Double charge on invoice", "Broadband keeps dropping", "Moving house", "Refund not received", "Upgrade enquiry",
        "Router replacement", "Roaming charges", "Cancel contract", "Payment plan", "Missed engineer visit", "New line order", "Billing address change",
    ];

    public async Task<Summary> GenerateAsync(Plan plan, CancellationToken ct)
    {
        var faker = new Faker("en") { Random = new Randomizer(plan.Seed) };
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var versions = await RubricVersionsAsync(connection, tx, plan);
        var sqlite = db.Dialect.Provider == DatabaseProvider.Sqlite;

        await using var insertCall = new RowWriter(connection, tx, sqlite, db.Dialect.InsertReturningId("Call",
            "Title, TeamId, AgentUserId, StartedAt, Direction, Layout, ExternalRef, DurationMs, Language, IsSample, CreatedAt",
            "@p0, @p1, @p2, @p3, @p4, 'agent-left', @p5, @p6, 'en', 0, @p7"), 8);
        await using var insertSegment = new RowWriter(connection, tx, sqlite,
            "INSERT INTO Segment (CallId, Seq, Channel, Speaker, StartMs, EndMs, Text, Language) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, 'en')", 7);
        await using var insertTag = new RowWriter(connection, tx, sqlite, "INSERT INTO CallTag (CallId, Tag) VALUES (@p0, @p1)", 2);
        await using var insertAnnotation = new RowWriter(connection, tx, sqlite, db.Dialect.InsertReturningId("Annotation",
            "CallId, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt, CalibrationSessionId",
            "@p0, @p1, @p2, NULL, @p3, @p4, @p5, @p6, @p7, @p8, @p8, @p9"), 10);
        await using var insertResult = new RowWriter(connection, tx, sqlite, db.Dialect.InsertReturningId("ScorecardResult",
            "CallId, RubricVersionId, ReviewerUserId, CalibrationSessionId, Score, AutoFailed, Comment, CreatedAt, UpdatedAt",
            "@p0, @p1, @p2, NULL, @p3, @p4, '', @p5, @p5"), 6);
        await using var insertAnswer = new RowWriter(connection, tx, sqlite,
            "INSERT INTO ScorecardAnswer (ResultId, CriterionId, Points, Note, CitedAnnotationIds) VALUES (@p0, @p1, @p2, '', '')", 3);
        await using var insertAck = new RowWriter(connection, tx, sqlite,
            "INSERT INTO ReviewAcknowledgement (CallId, UserId, AcknowledgedAt) VALUES (@p0, @p1, @p2)", 3);
        await using var insertDispute = new RowWriter(connection, tx, sqlite,
            "INSERT INTO Dispute (CallId, AgentUserId, AnnotationId, Comment, Status, Resolution, ResolvedByUserId, CreatedAt, ResolvedAt) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)", 9);

        var callIds = new List<int>();
        int reviews = 0, annotations = 0, disputes = 0;
        var span = (plan.End - plan.Start).TotalDays;
        var calibrationCandidates = new List<(int CallId, DateTimeOffset At, long DurationMs, List<(long StartMs, string Category)> Truth)>();
        for (var day = plan.Start.UtcDateTime.Date; day < plan.End.UtcDateTime; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                continue;
            foreach (var agent in plan.Agents)
            {
                var count = Poisson(faker, plan.CallsPerAgentPerWeekday);
                for (var k = 0; k < count; k++)
                {
                    var startedAt = new DateTimeOffset(day, TimeSpan.Zero).AddHours(8).AddMinutes(faker.Random.Int(0, 9 * 60));
                    if (startedAt >= plan.End)
                        continue;
                    var progress = Math.Clamp((startedAt - plan.Start).TotalDays / span, 0, 1);
                    var team = agent.Teams.Where(t => t.From <= startedAt).Select(t => t.TeamId).DefaultIfEmpty(agent.Teams[0].TeamId).Last();
                    var durationMs = faker.Random.Long(150_000, 720_000);
                    var reason = faker.PickRandom(Reasons);
                    var callId = (int)await insertCall.ScalarAsync(ct, $"{reason} – {agent.Name.Split(' ')[0]}", team, agent.UserId, startedAt,
                        faker.Random.Bool(0.8f) ? "inbound" : "outbound", "CRM-" + faker.Random.Replace("######"), durationMs, startedAt);
                    callIds.Add(callId);
                    await insertTag.ExecuteAsync(ct, callId, reason.Split(' ')[0].ToLowerInvariant());

                    // The moments: the agent's rate moves along their profile; their weak category dominates.
                    var rate = plan.RateScale * (agent.Profile.StartRate + (agent.Profile.EndRate - agent.Profile.StartRate) * progress);
                    var moments = new List<(long StartMs, string Kind, string Category, int? Severity)>();
                    for (var i = Poisson(faker, rate); i > 0; i--)
                        moments.Add((0, "unmet", faker.Random.Bool(0.45f) ? agent.Profile.WeakCategory : faker.PickRandom(Categories), faker.Random.WeightedRandom(new int?[] { 1, 2, 3 }, [0.45f, 0.4f, 0.15f])));
                    if (plan.Spike is { } spike && spike.TeamId == team && startedAt >= spike.From && startedAt < spike.To)
                        for (var i = Poisson(faker, 1.3 * plan.RateScale); i > 0; i--)
                            moments.Add((0, "unmet", "wrong-information", faker.Random.Bool(0.3f) ? 3 : 2));
                    for (var i = Poisson(faker, agent.Profile.EndRate < agent.Profile.StartRate ? 0.3 + 0.9 * progress : 0.5); i > 0; i--)
                        moments.Add((0, "exemplary", faker.PickRandom("no-empathy", "no-ownership", "information-not-given", "missed-opportunity"), null));
                    moments = moments.Select(m => m with { StartMs = faker.Random.Long(8_000, durationMs - 8_000) / 100 * 100 }).OrderBy(m => m.StartMs).ToList();

                    if (plan.Transcripts)
                        await TranscriptAsync(insertSegment, faker, callId, agent, reason, durationMs, moments.Select(m => (m.StartMs, m.Kind, m.Category)).ToList(), ct);

                    if (!faker.Random.Bool((float)plan.ReviewedShare))
                        continue;
                    var reviewedAt = startedAt.AddHours(faker.Random.Double(2, 72));
                    if (reviewedAt >= plan.End)
                        continue;
                    var reviewer = plan.Reviewers.TryGetValue(team, out var list) && list.Count > 0 ? faker.PickRandom<int>(list) : plan.SupervisorId;
                    var ids = new List<(int Id, long StartMs, string Kind, string Category, int? Severity)>();
                    foreach (var m in moments)
                    {
                        var line = m.Kind == "unmet" ? faker.PickRandom(Lines[m.Category]) : (Quote: "", Expected: "");
                        var id = (int)await insertAnnotation.ScalarAsync(ct, callId, m.Kind, m.StartMs, m.Category, m.Severity,
                            m.Kind == "unmet" ? line.Quote : "", m.Kind == "unmet" ? line.Expected : "Worth copying: " + m.Category.Replace('-', ' '), reviewer, reviewedAt, null);
                        ids.Add((id, m.StartMs, m.Kind, m.Category, m.Severity));
                        annotations++;
                    }
                    var version = versions.Where(v => v.From <= reviewedAt).Last();
                    var points = Points(faker, version.Criteria, ids.Where(i => i.Kind == "unmet").Select(i => (i.Category, i.Severity)).ToList());
                    var outcome = Scoring.Compute(version.Criteria, points);
                    var resultId = (int)await insertResult.ScalarAsync(ct, callId, version.Id, reviewer, outcome.Score, outcome.AutoFailed, reviewedAt);
                    foreach (var (criterionId, value) in points)
                        await insertAnswer.ExecuteAsync(ct, resultId, criterionId, value);
                    reviews++;

                    var acknowledgedAt = reviewedAt.AddHours(faker.Random.Double(1, 60));
                    if (faker.Random.Bool(0.7f) && acknowledgedAt < plan.End)
                        await insertAck.ExecuteAsync(ct, callId, agent.UserId, acknowledgedAt);
                    var disputable = ids.Where(i => i.Kind == "unmet").ToList();
                    if (disputable.Count > 0 && faker.Random.Bool(0.05f))
                    {
                        var target = faker.PickRandom(disputable);
                        var openedAt = reviewedAt.AddHours(faker.Random.Double(2, 48));
                        if (openedAt < plan.End)
                        {
                            var resolvedAt = openedAt.AddHours(faker.Random.Double(3, 96));
                            var status = resolvedAt >= plan.End ? "open" : faker.Random.WeightedRandom(["kept", "changed", "removed"], [0.55f, 0.25f, 0.2f]);
                            await insertDispute.ExecuteAsync(ct, callId, agent.UserId, target.Id,
                                "I did acknowledge the customer here; please listen again.", status,
                                status == "open" ? null : status == "kept" ? "Listened again: the moment stands." : "Fair point: adjusted.",
                                status == "open" ? null : plan.SupervisorId, openedAt, status == "open" ? null : resolvedAt);
                            disputes++;
                        }
                    }
                    if (ids.Count(i => i.Kind == "unmet") >= 2 && faker.Random.Bool(0.2f))
                        calibrationCandidates.Add((callId, reviewedAt, durationMs, ids.Where(i => i.Kind == "unmet").Select(i => (i.StartMs, i.Category)).ToList()));
                }
            }
        }
        var sessions = await CalibrationAsync(connection, tx, sqlite, faker, plan, calibrationCandidates, insertAnnotation, ct);
        await tx.CommitAsync(ct);
        return new Summary(callIds, reviews, annotations, disputes, sessions);
    }

    /// <summary>A greeting, the customer's words at each moment with the agent's reply, and a goodbye.</summary>
    private static async Task TranscriptAsync(RowWriter insert, Faker faker, int callId, Agent agent, string reason, long durationMs,
        IReadOnlyList<(long StartMs, string Kind, string Category)> moments, CancellationToken ct)
    {
        var seq = 0;
        async Task Say(string speaker, long start, long end, string text) =>
            await insert.ExecuteAsync(ct, callId, seq++, speaker == "agent" ? 0 : 1, speaker, start, Math.Min(end, durationMs), text);
        await Say("agent", 500, 4_500, $"Thank you for calling, this is {agent.Name.Split(' ')[0]}, how can I help?");
        await Say("customer", 5_000, 7_500, $"Hi, it's about this: {reason.ToLowerInvariant()}.");
        var last = 7_500L;
        foreach (var m in moments)
        {
            if (m.StartMs <= last + 500)
                continue;
            var line = m.Kind == "unmet" ? faker.PickRandom(Lines[m.Category]).Quote : "Thank you, that really helps.";
            await Say("customer", m.StartMs, m.StartMs + 3_500, line);
            await Say("agent", m.StartMs + 4_000, m.StartMs + 7_000, m.Kind == "unmet" ? "Right. Let me see what I can do." : "I completely understand, let me sort that out for you now.");
            last = m.StartMs + 7_000;
        }
        if (durationMs - 6_000 > last)
            await Say("agent", durationMs - 6_000, durationMs - 1_000, "Is there anything else I can help with today?");
    }

    /// <summary>Rubric answers that follow what the reviewer found: each criterion loses points for the needs it covers.</summary>
    private static Dictionary<int, int?> Points(Faker faker, IReadOnlyList<Scoring.Criterion> criteria, IReadOnlyList<(string Category, int? Severity)> unmet)
    {
        int N(params string[] categories) => unmet.Count(u => categories.Contains(u.Category));
        var points = new Dictionary<int, int?>();
        foreach (var c in criteria)
        {
            var lost = c.Title switch
            {
                "Product knowledge accuracy" => N("wrong-information", "information-not-given"),
                "No wrong or harmful information" => unmet.Any(u => u.Category == "wrong-information" && u.Severity == 3) ? 1 : 0,
                "Tone" => 2 * N("rude-tone") + N("not-listening"),
                "Empathy" => N("no-empathy", "complaint-mishandled"),
                "Ownership and timeliness" => N("no-ownership", "timeliness"),
                "Resolution" => N("unresolved") > 0 || faker.Random.Bool(0.08f) ? 1 : 0,
                "Clear next step" => N("no-ownership", "unresolved", "information-not-given"),
                _ => 0,
            };
            var noise = c.Scale == "points" && faker.Random.Bool(0.25f) ? 1 : 0;
            points[c.Id] = Math.Clamp(c.MaxPoints - lost - noise, 0, c.MaxPoints);
        }
        return points;
    }

    private sealed record Version(int Id, DateTimeOffset From, IReadOnlyList<Scoring.Criterion> Criteria);

    /// <summary>
    /// The rubric versions scores are made with: the current one, and — when the plan changes the rubric — a
    /// version 2 published at that moment (empathy and resolution weigh more, a "Clear next step" criterion), its criteria
    /// named in other languages as an admin's publishing would keep them.
    /// </summary>
    private async Task<IReadOnlyList<Version>> RubricVersionsAsync(DbConnection connection, DbTransaction tx, Plan plan)
    {
        var current = await connection.QuerySingleAsync<(int Id, int RubricId, int Number)>(
            "SELECT Id, RubricId, Number FROM RubricVersion WHERE IsCurrent = 1", transaction: tx);
        var versions = new List<Version> { new(current.Id, DateTimeOffset.MinValue, await CriteriaAsync(connection, tx, current.Id)) };
        if (plan.RubricChangeAt is not { } at)
            return versions;
        await connection.ExecuteAsync("UPDATE RubricVersion SET IsCurrent = 0 WHERE RubricId = @RubricId", new { current.RubricId }, tx);
        var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("RubricVersion",
            "RubricId, Number, IsCurrent, CreatedByUserId, CreatedAt", "@RubricId, @Number, 1, @SupervisorId, @at"),
            new { current.RubricId, Number = current.Number + 1, plan.SupervisorId, at }, tx);
        await connection.ExecuteAsync(
            """
            INSERT INTO RubricCriterion (RubricVersionId, Section, Title, Guidance, Scale, MaxPoints, Weight, IsAutoFail, SortOrder)
            SELECT @id, Section, Title, Guidance, Scale, MaxPoints,
                   CASE Title WHEN 'Empathy' THEN 3 WHEN 'Resolution' THEN 4 ELSE Weight END, IsAutoFail, SortOrder
            FROM RubricCriterion WHERE RubricVersionId = @old
            """, new { id, old = current.Id }, tx);
        await connection.ExecuteAsync(
            """
            INSERT INTO RubricCriterion (RubricVersionId, Section, Title, Guidance, Scale, MaxPoints, Weight, IsAutoFail, SortOrder)
            VALUES (@id, 'Outcome', 'Clear next step', 'The customer knows what happens next, who does it and when.', 'points', 4, 2, 0, 70)
            """, new { id }, tx);
        await RubricNames.CarryOverAsync(connection, tx, db.Dialect, current.Id, id);
        await connection.ExecuteAsync(
            $"INSERT INTO ContentName (Kind, Code, Culture, Name) SELECT @Kind, {ContentNames.IdCode("Id")}, @Culture, @Name FROM RubricCriterion WHERE RubricVersionId = @id AND Title = 'Clear next step'",
            ClearNextStepNames.Select(n => new { n.Kind, n.Culture, n.Name, id }), tx);
        versions.Add(new Version(id, at, await CriteriaAsync(connection, tx, id)));
        return versions;
    }

    /// <summary>The criterion version 2 adds, named in the interface's other languages as the built-in ones are (migration 0020).</summary>
    private static readonly (string Kind, string Culture, string Name)[] ClearNextStepNames =
    [
        (ContentNames.Criterion, "ro", "Pas următor clar"),
        (ContentNames.Criterion, "it", "Passo successivo chiaro"),
        (ContentNames.Criterion, "cs", "Jasný další krok"),
        (ContentNames.Criterion, "sr-Latn", "Jasan sledeći korak"),
        (ContentNames.Criterion, "he", "צעד הבא ברור"),
        (ContentNames.Guidance, "ro", "Clientul știe ce urmează, cine se ocupă și când."),
        (ContentNames.Guidance, "it", "Il cliente sa cosa succede dopo, chi se ne occupa e quando."),
        (ContentNames.Guidance, "cs", "Zákazník ví, co bude následovat, kdo to udělá a kdy."),
        (ContentNames.Guidance, "sr-Latn", "Korisnik zna šta sledi, ko to radi i kada."),
        (ContentNames.Guidance, "he", "הלקוח יודע מה יקרה הלאה, מי יטפל בזה ומתי."),
    ];

    private static async Task<IReadOnlyList<Scoring.Criterion>> CriteriaAsync(DbConnection connection, DbTransaction tx, int versionId) =>
        (await connection.QueryAsync<Scoring.Criterion>(
            "SELECT Id, RubricVersionId, Section, Title, Guidance, Scale, MaxPoints, Weight, IsAutoFail, SortOrder FROM RubricCriterion WHERE RubricVersionId = @versionId ORDER BY SortOrder",
            new { versionId }, tx)).ToList();

    /// <summary>
    /// Every few days the supervisor sends a reviewed call to a few reviewers blind; each pins the moments the
    /// first reviewer found, a few seconds off (less so as the weeks go by), sometimes naming another category.
    /// </summary>
    private async Task<int> CalibrationAsync(DbConnection connection, DbTransaction tx, bool sqlite, Faker faker, Plan plan,
        List<(int CallId, DateTimeOffset At, long DurationMs, List<(long StartMs, string Category)> Truth)> candidates, RowWriter insertAnnotation, CancellationToken ct)
    {
        var reviewers = plan.Reviewers.Values.SelectMany(r => r).Append(plan.SupervisorId).Distinct().ToList();
        if (reviewers.Count < 2 || candidates.Count == 0)
            return 0;
        var sessions = 0;
        var span = (plan.End - plan.Start).TotalDays;
        for (var day = plan.Start.AddDays(3); day < plan.End; day = day.AddDays(plan.CalibrationEveryDays))
        {
            var pick = candidates.Where(c => c.At >= day && c.At < day.AddDays(plan.CalibrationEveryDays)).Take(1).ToList();
            if (pick.Count == 0)
                continue;
            var (callId, at, _, truth) = pick[0];
            var created = at.AddHours(6);
            if (created >= plan.End)
                continue;
            var sessionId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("CalibrationSession",
                "CallId, Title, BenchmarkUserId, CreatedByUserId, CreatedAt", "@callId, @title, NULL, @SupervisorId, @created"),
                new { callId, title = $"Calibration {created:d MMM}", plan.SupervisorId, created }, tx);
            var progress = (created - plan.Start).TotalDays / span;
            // A session gathers a handful of reviewers and the supervisor, as calibration rooms do.
            var participants = reviewers.Count <= 4 ? reviewers : faker.PickRandom(reviewers.Where(r => r != plan.SupervisorId), 3).Append(plan.SupervisorId).ToList();
            foreach (var reviewer in participants)
            {
                var submitted = created.AddHours(faker.Random.Double(1, 30));
                var done = submitted < plan.End;
                await connection.ExecuteAsync("INSERT INTO CalibrationParticipant (SessionId, UserId, SubmittedAt) VALUES (@sessionId, @reviewer, @submitted)",
                    new { sessionId, reviewer, submitted = done ? submitted : (DateTimeOffset?)null }, tx);
                foreach (var (startMs, category) in truth)
                {
                    if (faker.Random.Bool(0.12f))
                        continue;
                    var off = (long)(faker.Random.Double(-1, 1) * (6_000 - 3_500 * progress));
                    var named = faker.Random.Bool((float)(0.7 + 0.2 * progress)) ? category : faker.PickRandom(Categories);
                    await insertAnnotation.ScalarAsync(ct, callId, "unmet", Math.Max(0, startMs + off), named, 2, "", "", reviewer, done ? submitted : created, sessionId);
                }
            }
            sessions++;
        }
        return sessions;
    }

    private static int Poisson(Faker faker, double mean)
    {
        var limit = Math.Exp(-Math.Max(0, mean));
        var k = 0;
        for (var p = faker.Random.Double(); p > limit; p *= faker.Random.Double())
            k++;
        return k;
    }

    /// <summary>
    /// One prepared INSERT reused for every row: the volume the benchmark writes (a million annotations) would
    /// take minutes through a new command per row. Times and flags are converted the way the Dapper handlers store them.
    /// </summary>
    private sealed class RowWriter : IAsyncDisposable
    {
        private readonly DbCommand _command;
        private readonly bool _sqlite;

        public RowWriter(DbConnection connection, DbTransaction tx, bool sqlite, string sql, int parameters)
        {
            _sqlite = sqlite;
            _command = connection.CreateCommand();
            _command.Transaction = tx;
            _command.CommandText = sql;
            for (var i = 0; i < parameters; i++)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = "@p" + i;
                _command.Parameters.Add(parameter);
            }
        }

        private void Bind(object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
                _command.Parameters[i].Value = values[i] switch
                {
                    null => DBNull.Value,
                    DateTimeOffset at when _sqlite => DapperSetup.ToSortableUtc(at),
                    DateTimeOffset at => at.ToUniversalTime(),
                    bool b when _sqlite => b ? 1 : 0,
                    var v => v,
                };
        }

        public async Task<long> ScalarAsync(CancellationToken ct, params object?[] values)
        {
            Bind(values);
            return Convert.ToInt64(await _command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task ExecuteAsync(CancellationToken ct, params object?[] values)
        {
            Bind(values);
            await _command.ExecuteNonQueryAsync(ct);
        }

        public ValueTask DisposeAsync() => _command.DisposeAsync();
    }
}
