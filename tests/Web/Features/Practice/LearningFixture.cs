using System.Net;
using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>
/// The review fixture's North team (reviewer Rita, supervisor Sue, learner Leo) plus an East team with learner Eve,
/// a North call with audio and two expert annotations, and exercises built on it through the builder's form:
/// one spot exercise published to North, one excerpt exercise published to North, one draft.
/// </summary>
public class LearningFixture : ReviewFixture
{
    public const string Eve = "eve@test.local", Lou = "lou@test.local";
    public const string Quote = "Still no refund, kiwifruit";
    public const string Expected = "Own the refund and promise a date zebrafish";
    public const string ModelAnswer = "The agent dismissed the refund: model answer marmalade";
    public const string Keywords = "ownership, refund date";
    public const string Hint = "Listen to what the agent says about refunds.";
    /// <summary>A critique long enough and with the keywords, for full critique credit.</summary>
    public const string Critique = "The agent took no ownership of the refund and never gave a refund date to the customer.";

    /// <summary>Answer times chosen off the transcript's turn boundaries, so finding them in a page means a leak.</summary>
    public const long OwnershipMs = 18_234, EmpathyMs = 13_456;

    public int AnnotatedCall { get; private set; }
    public int OwnershipAnnotation { get; private set; }
    public int Spot { get; private set; }
    public int Excerpt { get; private set; }
    public int Draft { get; private set; }
    public int Comparison { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = await AdminAsync();
        var east = await admin.CreateTeamAsync("East");
        await admin.CreateUserAsync(Eve, "Eve East", Password, ["learner"], east);
        await admin.CreateUserAsync(Lou, "Lou Learner", Password, ["learner"], North);
        AnnotatedCall = await this.InsertCallAsync("Refund runaround", North, null, withAudio: true);
        var ritaId = await this.UserIdAsync(Rita);
        OwnershipAnnotation = await this.InsertAnnotationAsync(AnnotatedCall, ritaId, "unmet", OwnershipMs, OwnershipMs + 2000, "no-ownership", Quote, Expected);
        await this.InsertAnnotationAsync(AnnotatedCall, ritaId, "unmet", EmpathyMs, null, "no-empathy", "A month of waiting, papaya", "Acknowledge the wait gooseberry");

        var rita = await As(Rita);
        Spot = await rita.SaveExerciseAsync(ExerciseFields(AnnotatedCall, "Spot it", publish: true, North));
        Excerpt = await rita.SaveExerciseAsync(ExerciseFields(AnnotatedCall, "Spot it in the excerpt", publish: true, North)
            .Concat([new("ExcerptStart", "10"), new("ExcerptEnd", "25")]));
        Draft = await rita.SaveExerciseAsync(ExerciseFields(AnnotatedCall, "Not yet", publish: false, North));
        var betterCall = await this.InsertCallAsync("Refund done well", North, null, withAudio: true);
        await this.InsertAnnotationAsync(betterCall, ritaId, "exemplary", 5_000, null, "no-empathy", "Good quote", "Empathy done well");
        Comparison = await rita.SaveExerciseAsync(ExerciseFields(AnnotatedCall, "Which served better?", publish: true, North)
            .Where(f => f.Key is not ("Kind" or "AnswerIds"))
            .Concat([new("Kind", "comparison"), new("SecondCallId", betterCall.ToString()), new("BetterSide", "b"), new("AnswerIds", OwnershipAnnotation.ToString())]));
    }

    public List<KeyValuePair<string, string>> ExerciseFields(int callId, string title, bool publish, params int[] teams)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Kind", "spot"), new("CallId", callId.ToString()), new("Title", title),
            new("ShowTranscript", "true"), new("FullCreditSeconds", "4"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1"),
            new("Hints", Hint), new("ModelAnswer", ModelAnswer), new("CritiqueKeywords", Keywords), new("CritiqueMinChars", "40"),
            new("Publish", publish ? "true" : "false"),
        };
        fields.AddRange(AnnotationIds(callId).Select(id => new KeyValuePair<string, string>("AnswerIds", id.ToString())));
        fields.AddRange(teams.Select(t => new KeyValuePair<string, string>("TeamIds", t.ToString())));
        return fields;
    }

    public IReadOnlyList<int> AnnotationIds(int callId)
    {
        using var connection = Services.GetRequiredService<IDbConnectionFactory>().OpenAsync().GetAwaiter().GetResult();
        return connection.Query<int>("SELECT Id FROM Annotation WHERE CallId = @callId AND DeletedAt IS NULL", new { callId }).ToList();
    }

    public async Task<T> QueryOneAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return await connection.QuerySingleAsync<T>(sql, parameters);
    }
}

/// <summary>What the builder and the learner do through the pages.</summary>
public static class LearningClient
{
    /// <summary>An expert annotation as the review page would store it.</summary>
    public static async Task<int> InsertAnnotationAsync(this CallReviewApp app, int callId, int authorId, string kind, long startMs, long? endMs, string category, string quote, string expected)
    {
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Annotation",
            "CallId, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt",
            "@callId, @kind, @startMs, @endMs, @category, 2, @quote, @expected, @authorId, @now, @now"),
            new { callId, kind, startMs, endMs, category, quote, expected, authorId, now = DateTimeOffset.UtcNow });
    }

    /// <summary>Posts the builder's form; returns the exercise id from the redirect.</summary>
    public static async Task<int> SaveExerciseAsync(this HttpClient client, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var list = fields.ToList();
        var callId = list.First(f => f.Key == "CallId").Value;
        var response = await client.PostFormAsync("/exercises/save", list, $"/exercises/new?callId={callId}");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"saving failed: {await response.Content.ReadAsStringAsync()}");
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    /// <summary>Submits an attempt; returns the attempt id from the redirect.</summary>
    public static async Task<int> SubmitAsync(this HttpClient client, int exerciseId, IEnumerable<(string Side, double At, string Category)> pins,
        string critique, string wouldHaveSaid = "I am sorry, I will own this.", string? chosenSide = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Critique", critique), new("WouldHaveSaid", wouldHaveSaid) };
        if (chosenSide is not null)
            fields.Add(new("ChosenSide", chosenSide));
        var i = 0;
        foreach (var (side, at, category) in pins)
        {
            fields.Add(new($"Pins[{i}].Side", side));
            fields.Add(new($"Pins[{i}].At", at.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new($"Pins[{i}].Category", category));
            i++;
        }
        var response = await client.PostFormAsync($"/practice/exercises/{exerciseId}", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"submitting failed: {await response.Content.ReadAsStringAsync()}");
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }
}
