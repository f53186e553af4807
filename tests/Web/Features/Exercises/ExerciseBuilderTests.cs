using System.Net;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Exercises;

/// <summary>The builder over HTTP: prefilled answers, validation, answers copied and frozen, publishing, assigning, who may build.</summary>
public sealed class ExerciseBuilderTests(LearningFixture app) : IClassFixture<LearningFixture>
{
    [Fact]
    public async Task New_FromAnAnnotatedCall_PreselectsTheUnmetAnnotationsAndTheirCategories()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var html = await rita.GetStringAsync($"/exercises/new?callId={app.AnnotatedCall}&kind=spot");
        Assert.Contains($"name=\"AnswerIds\" value=\"{app.OwnershipAnnotation}\" checked=\"checked\"", html);
        Assert.Contains("name=\"Tags\" value=\"no-ownership\" checked=\"checked\"", html);
        Assert.Contains($"name=\"TeamIds\" value=\"{app.North}\" checked=\"checked\"", html);
    }

    [Fact]
    public async Task Save_WithoutAnswersOrTeams_RerendersWithErrors()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var fields = app.ExerciseFields(app.AnnotatedCall, "Broken", publish: true).Where(f => f.Key != "AnswerIds");
        var response = await rita.PostFormAsync("/exercises/save", fields, $"/exercises/new?callId={app.AnnotatedCall}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Choose at least one annotation as the answer.", html);
        Assert.Contains("Choose at least one team to publish to.", html);
    }

    [Fact]
    public async Task Save_ExcerptNotContainingTheAnswers_IsRejected()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var fields = app.ExerciseFields(app.AnnotatedCall, "Bad excerpt", publish: false, app.North).Concat([new("ExcerptStart", "20"), new("ExcerptEnd", "29")]);
        var response = await rita.PostFormAsync("/exercises/save", fields, $"/exercises/new?callId={app.AnnotatedCall}");
        Assert.Contains("Every answer must start inside the excerpt.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Answers_AreCopied_SoEditingTheAnnotationLaterChangesNothing_AndFreezeAfterAnAttempt()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var id = await rita.SaveExerciseAsync(app.ExerciseFields(app.AnnotatedCall, "Copy check", publish: true, app.North));
        var callId = await app.InsertCallAsync("Copy call", app.North, null);
        await app.QueryOneAsync<int>("UPDATE Annotation SET Quote = 'edited later' WHERE Id = @OwnershipAnnotation; SELECT 1", new { app.OwnershipAnnotation });
        Assert.Equal(LearningFixture.Quote, await app.QueryOneAsync<string>(
            "SELECT Quote FROM ExerciseAnswer WHERE ExerciseId = @id AND AnnotationId = @OwnershipAnnotation", new { id, app.OwnershipAnnotation }));
        await app.QueryOneAsync<int>("UPDATE Annotation SET Quote = @Quote WHERE Id = @OwnershipAnnotation; SELECT 1", new { LearningFixture.Quote, app.OwnershipAnnotation });

        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(id, [("a", 18.5, "no-ownership")], "critique");
        var edit = await rita.GetStringAsync($"/exercises/{id}");
        Assert.Contains("its answer is frozen", edit);
        Assert.True(callId > 0);
    }

    [Fact]
    public async Task Assign_BySupervisor_ShowsOnTheLearnersTodayList()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var id = await rita.SaveExerciseAsync(app.ExerciseFields(app.AnnotatedCall, "Assigned one", publish: true, app.North));
        var sue = await app.As(ReviewFixture.Sue);
        var due = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
        var response = await sue.PostFormAsync($"/exercises/{id}/assign", [new("TeamId", app.North.ToString()), new("UserId", app.LeoId.ToString()), new("Due", due)], $"/exercises/{id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var leo = await app.As(ReviewFixture.Leo);
        var today = await leo.GetStringAsync("/practice");
        Assert.Contains("Assigned one", today);
        Assert.Contains($"due {due}", today);
    }

    [Fact]
    public async Task Assign_ByAReviewer_IsForbidden()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var response = await rita.PostFormAsync($"/exercises/{app.Spot}/assign", [new("TeamId", app.North.ToString()), new("Due", "2099-01-01")], $"/exercises/{app.Spot}");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location?.OriginalString ?? "");
    }

    [Fact]
    public async Task Learner_CannotReachTheBuilder()
    {
        var leo = await app.As(ReviewFixture.Leo);
        foreach (var url in new[] { "/exercises", $"/exercises/{app.Spot}", $"/exercises/new?callId={app.AnnotatedCall}" })
        {
            var response = await leo.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
        }
        var post = await leo.PostFormAsync("/exercises/save", app.ExerciseFields(app.AnnotatedCall, "Sneaky", publish: true, app.North), "/practice");
        Assert.Contains("/account/denied", post.Headers.Location?.OriginalString ?? "");
    }

    [Fact]
    public async Task ReviewerOfAnotherTeam_CannotOpenTheExerciseOrItsCall()
    {
        var sam = await app.As(ReviewFixture.Sam);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/exercises/{app.Spot}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/exercises/new?callId={app.AnnotatedCall}")).StatusCode);
        Assert.DoesNotContain("Spot it", await sam.GetStringAsync("/exercises"));
    }

    [Fact]
    public async Task Save_WithoutAntiforgeryToken_IsRejected()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var response = await rita.PostAsync("/exercises/save", new FormUrlEncodedContent(app.ExerciseFields(app.AnnotatedCall, "No token", publish: false, app.North)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Certification_PassedWhenTheSetsBestScoresReachThePassMark()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var id = await rita.SaveExerciseAsync(app.ExerciseFields(app.AnnotatedCall, "Cert exercise", publish: true, app.North));
        var sue = await app.As(ReviewFixture.Sue);
        var created = await sue.PostFormAsync("/exercises/certifications", [new("Name", "Ownership basics"), new("Threshold", "60"), new("ExerciseIds", id.ToString())], "/exercises");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(id, [("a", 18.5, "no-ownership"), ("a", 13.5, "no-empathy")], "The agent took no ownership and gave no refund date at all.");
        var today = await lou.GetStringAsync("/practice");
        Assert.Contains("Ownership basics — certified", today);
    }
}
