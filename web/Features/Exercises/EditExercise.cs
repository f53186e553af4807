using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Practice;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;
using Microsoft.Extensions.Localization;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Exercises;

/// <summary>
/// Building an exercise from annotated calls (reviewers, supervisors): which annotations are the answer, an
/// optional excerpt, transcript on or off, the timing tolerance, hints, the model answer, critique keywords,
/// difficulty, tags and the teams it is published to. The chosen annotations are copied into ExerciseAnswer,
/// and once anyone has attempted the exercise (or discussed one of its moments) its answer is frozen, so scores keep
/// meaning what they meant and moment threads keep their moment.
/// </summary>
public static class EditExercise
{
    public static readonly string[] Kinds = ["spot", "exemplary", "comparison"];

    public sealed class Form
    {
        public int? Id { get; set; }
        public string Kind { get; set; } = "spot";
        public int CallId { get; set; }
        public int? SecondCallId { get; set; }
        public string? BetterSide { get; set; }
        [DisplayFormat(ConvertEmptyStringToNull = false), FitsColumn("Exercise", "Title")]
        public string Title { get; set; } = "";
        /// <summary>The language the call is spoken in, so learners can choose exercises in theirs.</summary>
        [FitsColumn("Exercise", "Language")]
        public string? Language { get; set; }
        public List<int> AnswerIds { get; set; } = [];
        [Seconds] public decimal? ExcerptStart { get; set; }
        [Seconds] public decimal? ExcerptEnd { get; set; }
        public bool ShowTranscript { get; set; } = true;
        [Seconds, Display(Name = "Full credit within ± seconds")] public decimal FullCreditSeconds { get; set; } = 4;
        [Seconds, Display(Name = "No credit from ± seconds")] public decimal ZeroCreditSeconds { get; set; } = 15;
        [Range(1, 3)] public int Difficulty { get; set; } = 1;
        [DisplayFormat(ConvertEmptyStringToNull = false)]
        public string Hints { get; set; } = "";
        [DisplayFormat(ConvertEmptyStringToNull = false)]
        public string ModelAnswer { get; set; } = "";
        [DisplayFormat(ConvertEmptyStringToNull = false)]
        public string CritiqueKeywords { get; set; } = "";
        [Range(0, 2000), Display(Name = "Critique length for full length credit (characters)")] public int CritiqueMinChars { get; set; } = 40;
        public List<string> Tags { get; set; } = [];
        public List<int> TeamIds { get; set; } = [];
        public bool Publish { get; set; }
        public bool IsTrainingMaterial { get; set; }
    }

    public sealed class Option
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
    }

    public sealed class Category
    {
        public string Code { get; init; } = "";
        /// <summary>In the reader's language.</summary>
        public string Name { get; init; } = "";
        /// <summary>As stored (the installation's language): a title or hint may name it that way too.</summary>
        public string Stored { get; init; } = "";
    }

    public sealed record Model(
        Form Form,
        CallAccess.VisibleCall Call,
        CallAccess.VisibleCall? SecondCall,
        IReadOnlyList<Annotation> Annotations,
        IReadOnlyList<Category> Categories,
        IReadOnlyList<Option> Teams,
        IReadOnlyList<Option> Learners,
        bool AnswerFrozen,
        string Status)
    {
        /// <summary>Where the title or hints name a category: learners read both before they answer.</summary>
        public IReadOnlyList<Message> Warnings => SpoilerWarnings(Form, Categories);
    }

    /// <summary>A warning for each category (or part of a name like "No ownership / follow-up") the title or hints name.</summary>
    public static IReadOnlyList<Message> SpoilerWarnings(Form form, IEnumerable<Category> categories)
    {
        var warnings = new List<Message>();
        foreach (var (warning, text) in new[]
                 {
                     ("The title names the category \"{0}\": learners read it before they answer. Say where to listen or what to think about instead.", form.Title),
                     ("The hints name the category \"{0}\": learners read it before they answer. Say where to listen or what to think about instead.", form.Hints),
                 })
            foreach (var category in categories)
            {
                var words = new[] { category.Name, category.Stored }
                    .SelectMany(n => n.Split(" / ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Append(category.Code);
                if (words.Any(w => Regex.IsMatch(text, $@"(?<!\w){Regex.Escape(w)}(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)))
                    warnings.Add(new Message(warning, category.Name));
            }
        return warnings;
    }

    public sealed class Handler(IDbConnectionFactory db, CallAccess calls, ExerciseAccess exercises, TimeProvider clock, AuditLog audit, IStringLocalizer<Text> text)
    {
        /// <summary>A new exercise's form, with the annotations of the kind preselected. Null when a call is not visible.</summary>
        public async Task<Model?> NewAsync(int callId, string? kind, int? secondCallId, CurrentUser user, CancellationToken ct)
        {
            kind = Kinds.Contains(kind) ? kind! : secondCallId is null ? "spot" : "comparison";
            var form = new Form { Kind = kind, CallId = callId, SecondCallId = kind == "comparison" ? secondCallId : null };
            var model = await BuildAsync(form, user, answerFrozen: false, "draft", ct);
            if (model is null)
                return null;
            var wanted = kind == "exemplary" ? "exemplary" : "unmet";
            form.AnswerIds = model.Annotations.Where(a => a.Kind == wanted).Select(a => a.Id).ToList();
            // Never the call's title, which often says how the call went: the customer's opening words say only the situation.
            // In the builder's language: the title is stored as proposed here unless they change it, and learners read it.
            var words = await OpeningWordsAsync(callId, ct);
            form.Title = (kind, words) switch
            {
                ("exemplary", not null) => text["What great looks like: “{0}”", words],
                ("comparison", null) => text["Which call served the customer better?"],
                ("comparison", _) => text["Which call served the customer better? “{0}”", words],
                (_, not null) => text["Spot the unmet need: “{0}”", words],
                // The kind's name, as learners read it in a list, opening a sentence.
                _ => Capitalised(text[ExerciseKinds.Name(kind)]),
            };
            form.Language = await SpokenLanguageAsync(callId, ct);
            form.Tags = model.Annotations.Where(a => form.AnswerIds.Contains(a.Id)).Select(a => a.CategoryCode).Distinct().ToList();
            form.TeamIds = model.Teams.Select(t => t.Id).ToList();
            return model;
        }

        public async Task<Model?> EditAsync(int id, CurrentUser user, CancellationToken ct)
        {
            if (await exercises.FindAsync(id, user, ct) is not { } row)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var form = new Form
            {
                Id = row.Id, Kind = row.Kind, CallId = row.CallId, SecondCallId = row.SecondCallId, BetterSide = row.BetterSide, Title = row.Title, Language = row.Language,
                ExcerptStart = row.ExcerptStartMs / 1000m, ExcerptEnd = row.ExcerptEndMs / 1000m, ShowTranscript = row.ShowTranscript,
                FullCreditSeconds = row.FullCreditMs / 1000m, ZeroCreditSeconds = row.ZeroCreditMs / 1000m, Difficulty = row.Difficulty,
                Hints = row.Hints, ModelAnswer = row.ModelAnswer, CritiqueKeywords = row.CritiqueKeywords, CritiqueMinChars = row.CritiqueMinChars,
                Publish = row.Status == "published", IsTrainingMaterial = row.IsTrainingMaterial,
                AnswerIds = (await connection.QueryAsync<int>("SELECT AnnotationId FROM ExerciseAnswer WHERE ExerciseId = @id AND AnnotationId IS NOT NULL", new { id })).ToList(),
                Tags = (await connection.QueryAsync<string>("SELECT CategoryCode FROM ExerciseTag WHERE ExerciseId = @id", new { id })).ToList(),
                TeamIds = (await connection.QueryAsync<int>("SELECT TeamId FROM ExerciseTeam WHERE ExerciseId = @id", new { id })).ToList(),
            };
            return await BuildAsync(form, user, await HasAttemptsAsync(connection, id), row.Status, ct);
        }

        /// <summary>The builder page for a posted form (to show it again with its errors); null when the user may not edit it.</summary>
        public async Task<Model?> FormAsync(Form form, CurrentUser user, CancellationToken ct)
        {
            string status = "draft";
            var frozen = false;
            if (form.Id is { } existingId)
            {
                if (await exercises.FindAsync(existingId, user, ct) is not { } current)
                    return null;
                // The calls an exercise is built on never change; a different call is a new exercise.
                form.Kind = current.Kind;
                form.CallId = current.CallId;
                form.SecondCallId = current.SecondCallId;
                status = current.Status;
                await using var connection = await db.OpenAsync(ct);
                frozen = await HasAttemptsAsync(connection, existingId);
            }
            if (form.Kind != "comparison")
                form.SecondCallId = null;
            return await BuildAsync(form, user, frozen, status, ct);
        }

        /// <summary>Saves (and publishes) the exercise; answers its id.</summary>
        public async Task<Outcome<int>> SaveAsync(Form form, CurrentUser user, CancellationToken ct)
        {
            if (await FormAsync(form, user, ct) is not { } model)
                return Outcome.NotFound;
            var frozen = model.AnswerFrozen;
            var errors = Validate(form, model);
            if (errors.Count > 0)
                return Outcome.Invalid(errors);
            await using var connection = await db.OpenAsync(ct);

            var now = clock.GetUtcNow();
            var chosen = model.Annotations.Where(a => form.AnswerIds.Contains(a.Id)).ToList();
            var tags = (form.Tags.Count > 0 ? form.Tags : chosen.Select(a => a.CategoryCode)).Distinct().ToList();
            var publish = form.Publish ? "published" : "draft";
            var values = new
            {
                form.Id, Title = form.Title.Trim(), form.Kind, form.CallId, form.SecondCallId,
                Language = string.IsNullOrWhiteSpace(form.Language) ? null : form.Language.Trim().ToLowerInvariant(),
                BetterSide = form.Kind == "comparison" ? form.BetterSide : null,
                ExcerptStartMs = form.Kind == "comparison" ? null : Ms(form.ExcerptStart),
                ExcerptEndMs = form.Kind == "comparison" ? null : Ms(form.ExcerptEnd),
                form.ShowTranscript, FullCreditMs = Ms(form.FullCreditSeconds), ZeroCreditMs = Ms(form.ZeroCreditSeconds),
                form.Difficulty, Hints = form.Hints.Trim(), ModelAnswer = form.ModelAnswer.Trim(), CritiqueKeywords = form.CritiqueKeywords.Trim(),
                form.CritiqueMinChars, Status = publish, form.IsTrainingMaterial, UserId = user.Id, now,
            };
            await using var tx = await connection.BeginTransactionAsync(ct);
            int id;
            if (form.Id is null)
            {
                id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Exercise",
                    "Title, Language, Kind, CallId, SecondCallId, BetterSide, ExcerptStartMs, ExcerptEndMs, ShowTranscript, FullCreditMs, ZeroCreditMs, Difficulty, Hints, ModelAnswer, CritiqueKeywords, CritiqueMinChars, Status, IsTrainingMaterial, CreatedByUserId, CreatedAt, UpdatedAt, PublishedAt",
                    "@Title, @Language, @Kind, @CallId, @SecondCallId, @BetterSide, @ExcerptStartMs, @ExcerptEndMs, @ShowTranscript, @FullCreditMs, @ZeroCreditMs, @Difficulty, @Hints, @ModelAnswer, @CritiqueKeywords, @CritiqueMinChars, @Status, @IsTrainingMaterial, @UserId, @now, @now, " +
                    (form.Publish ? "@now" : "NULL")), values, tx);
            }
            else
            {
                id = form.Id.Value;
                await connection.ExecuteAsync(
                    """
                    UPDATE Exercise SET Title = @Title, Language = @Language, BetterSide = @BetterSide, ExcerptStartMs = @ExcerptStartMs, ExcerptEndMs = @ExcerptEndMs,
                        ShowTranscript = @ShowTranscript, FullCreditMs = @FullCreditMs, ZeroCreditMs = @ZeroCreditMs, Difficulty = @Difficulty,
                        Hints = @Hints, ModelAnswer = @ModelAnswer, CritiqueKeywords = @CritiqueKeywords, CritiqueMinChars = @CritiqueMinChars,
                        Status = @Status, IsTrainingMaterial = @IsTrainingMaterial, UpdatedAt = @now, PublishedAt = CASE WHEN @Status = 'published' THEN COALESCE(PublishedAt, @now) ELSE PublishedAt END
                    WHERE Id = @Id
                    """, values, tx);
            }
            if (!frozen)
                await CopyAnswersAsync(connection, tx, id, form.CallId, chosen);
            await connection.ExecuteAsync("DELETE FROM ExerciseTag WHERE ExerciseId = @id", new { id }, tx);
            await connection.ExecuteAsync("INSERT INTO ExerciseTag (ExerciseId, CategoryCode) VALUES (@id, @code)", tags.Select(code => new { id, code }), tx);
            // The editor decides only for their own teams: other teams the exercise is published to stay.
            await connection.ExecuteAsync(
                "DELETE FROM ExerciseTeam WHERE ExerciseId = @id AND TeamId IN (SELECT TeamId FROM TeamMember WHERE UserId = @UserId)",
                new { id, UserId = user.Id }, tx);
            await connection.ExecuteAsync("INSERT INTO ExerciseTeam (ExerciseId, TeamId) VALUES (@id, @teamId)", form.TeamIds.Distinct().Select(teamId => new { id, teamId }), tx);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(form.Id is null ? AuditActions.ExerciseCreated : AuditActions.ExerciseChanged, "Exercise", id,
                $"call {form.CallId}; {publish}{(form.IsTrainingMaterial ? "; training material" : "")}", ct);
            return Outcome.Done(id);
        }

        private static async Task CopyAnswersAsync(DbConnection connection, DbTransaction tx, int id, int callId, IReadOnlyList<Annotation> chosen)
        {
            await connection.ExecuteAsync("DELETE FROM ExerciseAnswer WHERE ExerciseId = @id", new { id }, tx);
            await connection.ExecuteAsync(
                """
                INSERT INTO ExerciseAnswer (ExerciseId, AnnotationId, Side, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected)
                VALUES (@ExerciseId, @Id, @Side, @Kind, @StartMs, @EndMs, @CategoryCode, @Severity, @Quote, @Expected)
                """,
                chosen.Select(a => new
                {
                    ExerciseId = id, a.Id, Side = a.CallId == callId ? "a" : "b", a.Kind, a.StartMs, a.EndMs, a.CategoryCode, a.Severity, a.Quote, a.Expected,
                }), tx);
        }

        private static Task<bool> HasAttemptsAsync(DbConnection connection, int id) =>
            connection.ExecuteScalarAsync<bool>(
                """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM Attempt WHERE ExerciseId = @id)
                              OR EXISTS (SELECT 1 FROM Post WHERE ExerciseId = @id AND AnswerId IS NOT NULL) THEN 1 ELSE 0 END
                """, new { id });

        private async Task<Model?> BuildAsync(Form form, CurrentUser user, bool answerFrozen, string status, CancellationToken ct)
        {
            if (await calls.FindAsync(form.CallId, user, ct) is not { } call)
                return null;
            CallAccess.VisibleCall? second = null;
            if (form.SecondCallId is { } secondId && (second = await calls.FindAsync(secondId, user, ct)) is null)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var annotations = await connection.QueryAsync<Annotation>(
                $"""
                SELECT a.Id, a.CallId, a.Kind, a.StartMs, a.EndMs, a.CategoryCode, {NeedCategories.DisplayName("a.Kind", "c")} AS CategoryName, a.Severity, a.Quote, a.Expected
                FROM Annotation a JOIN NeedCategory c ON c.Code = a.CategoryCode
                WHERE a.CallId IN (@CallId, @Second) AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL
                ORDER BY CASE WHEN a.CallId = @CallId THEN 0 ELSE 1 END, a.StartMs
                """, new { form.CallId, Second = second?.Id ?? -1 });
            var categories = await connection.QueryAsync<Category>(
                $"SELECT c.Code, {ContentNames.Sql(ContentNames.Category, "c.Code", "c.Name")} AS Name, c.Name AS Stored FROM NeedCategory c WHERE c.IsActive = 1 ORDER BY c.SortOrder, c.Name");
            var teams = await connection.QueryAsync<Option>(
                "SELECT t.Id, t.Name FROM Team t JOIN TeamMember m ON m.TeamId = t.Id WHERE m.UserId = @Id ORDER BY t.Name", new { user.Id });
            var learners = await connection.QueryAsync<Option>(
                $"""
                SELECT DISTINCT u.Id, u.DisplayName AS Name FROM UserAccount u
                JOIN TeamMember m ON m.UserId = u.Id
                WHERE u.IsActive = 1 AND {Roles.HeldBy("u.Id", Roles.Learner)} AND m.TeamId IN (SELECT TeamId FROM TeamMember WHERE UserId = @Id)
                ORDER BY u.DisplayName
                """, new { user.Id });
            return new Model(form, call, second, annotations.ToList(), categories.ToList(), teams.ToList(), learners.ToList(), answerFrozen, status);
        }

        /// <summary>Messages by form field; the first broken rule of a field is the one shown.</summary>
        private static Dictionary<string, Message> Validate(Form form, Model model)
        {
            var errors = new Dictionary<string, Message>();
            void Add(string field, Message message) => errors.TryAdd(field, message);
            if (string.IsNullOrWhiteSpace(form.Title) || form.Title.Trim().Length == 0)
                Add(nameof(Form.Title), "Give the exercise a title.");
            if (!Kinds.Contains(form.Kind))
                Add(nameof(Form.Kind), "Unknown exercise kind.");
            var chosen = model.Annotations.Where(a => form.AnswerIds.Contains(a.Id)).ToList();
            if (!model.AnswerFrozen && chosen.Count == 0)
                Add(nameof(Form.AnswerIds), "Choose at least one annotation as the answer.");
            if (form.Kind == "comparison")
            {
                if (model.SecondCall is null)
                    Add(nameof(Form.SecondCallId), "A comparison needs a second call.");
                if (form.BetterSide is not ("a" or "b"))
                    Add(nameof(Form.BetterSide), "Say which call served the customer better.");
            }
            else if (form.ExcerptStart is not null || form.ExcerptEnd is not null)
            {
                var start = Ms(form.ExcerptStart ?? 0);
                var end = Ms(form.ExcerptEnd ?? model.Call.DurationMs / 1000m);
                if (start < 0 || end > model.Call.DurationMs || end - start < 5000)
                    Add(nameof(Form.ExcerptStart), "The excerpt must lie inside the call and last at least 5 seconds.");
                else if (!model.AnswerFrozen && chosen.Any(a => a.StartMs < start || a.StartMs > end))
                    Add(nameof(Form.AnswerIds), "Every answer must start inside the excerpt.");
                form.ExcerptStart = start / 1000m;
                form.ExcerptEnd = end / 1000m;
            }
            if (form.FullCreditSeconds < 0 || form.ZeroCreditSeconds <= form.FullCreditSeconds || form.ZeroCreditSeconds > 120)
                Add(nameof(Form.FullCreditSeconds), "Tolerance: full credit must be below zero credit, at most 120 seconds.");
            if (form.Difficulty is < 1 or > 3)
                Add(nameof(Form.Difficulty), "Difficulty is 1 (easy) to 3 (hard).");
            if (form.CritiqueMinChars is < 0 or > 2000)
                Add(nameof(Form.CritiqueMinChars), "Minimum critique length is 0 to 2000 characters.");
            if (form.Hints.Length > 2000 || form.ModelAnswer.Length > 8000 || form.CritiqueKeywords.Length > 1000)
                Add(nameof(Form.Hints), "Hints, model answer or keywords are too long.");
            if (form.Tags.Any(t => model.Categories.All(c => c.Code != t)))
                Add(nameof(Form.Tags), "Unknown tag.");
            if (form.TeamIds.Any(t => model.Teams.All(team => team.Id != t)))
                Add(nameof(Form.TeamIds), "You can only publish to your own teams.");
            if (form.Publish && form.TeamIds.Count == 0)
                Add(nameof(Form.TeamIds), "Choose at least one team to publish to.");
            return errors;
        }

        /// <summary>The customer's first words of some length, cut at a word near 60 characters; null without a customer turn.</summary>
        /// <summary>
        /// The call's language: the one most of its transcript is in (its lines can differ where the call switches), else
        /// its lines' (as the migration filled older exercises).
        /// </summary>
        private async Task<string?> SpokenLanguageAsync(int callId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await connection.ExecuteScalarAsync<string?>(
                """
                SELECT COALESCE((SELECT Language FROM Call WHERE Id = @callId AND Language <> 'auto'),
                    (SELECT MIN(Language) FROM Segment WHERE CallId = @callId AND Language IS NOT NULL AND Language <> 'auto'))
                """, new { callId });
        }

        private static string Capitalised(string text) =>
            text.Length == 0 ? text : char.ToUpper(text[0], System.Globalization.CultureInfo.CurrentCulture) + text[1..];

        private async Task<string?> OpeningWordsAsync(int callId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var turns = (await connection.QueryAsync<string>(
                "SELECT Text FROM Segment WHERE CallId = @callId AND Speaker = 'customer' ORDER BY StartMs, Seq", new { callId })).ToList();
            var text = (turns.FirstOrDefault(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4) ?? turns.FirstOrDefault())?.Trim();
            if (string.IsNullOrEmpty(text))
                return null;
            if (text.Length <= 60)
                return text;
            var cut = text.LastIndexOf(' ', 60);
            return text[..(cut > 20 ? cut : 60)].TrimEnd(',', ';', ' ') + "…";
        }

        private static long Ms(decimal seconds) => (long)Math.Round(seconds * 1000);

        private static long? Ms(decimal? seconds) => seconds is { } s ? Ms(s) : null;
    }
}
