using System.Net;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Exercises;

/// <summary>
/// Who may open and change an exercise: reviewers and supervisors of its author's teams (ExerciseAccess), even when
/// it is built on a shared call every reviewer can open. Anyone else gets 404 from every builder route.
/// </summary>
public sealed class ExerciseAccessTests(ExerciseAccessTests.Fixture app) : IClassFixture<ExerciseAccessTests.Fixture>
{
    public sealed class Fixture : LearningFixture
    {
        public const string Nia = "nia@test.local";
        public const string SouthModelAnswer = "South's model answer tangerine";

        public int SharedCall { get; private set; }
        public int SouthExercise { get; private set; }
        public int South { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            South = await QueryOneAsync<int>("SELECT Id FROM Team WHERE Name = 'South'");
            var admin = await AdminAsync();
            await admin.CreateUserAsync(Nia, "Nia North-South", Password, ["reviewer"], North, South);
            // A shared sample call (no team): every reviewer may open it and build on it.
            SharedCall = await this.InsertCallAsync("Shared sample call", null, null);
            await this.InsertAnnotationAsync(SharedCall, await this.UserIdAsync(Sam), "unmet", 14_000, null, "no-empathy", "Waiting a month", "Acknowledge it");
            var sam = await As(Sam);
            SouthExercise = await sam.SaveExerciseAsync(ExerciseFields(SharedCall, "South only", publish: true, South)
                .Where(f => f.Key != "ModelAnswer").Append(new("ModelAnswer", SouthModelAnswer)));
        }
    }

    [Fact]
    public async Task ReviewerOfAnotherTeam_OnASharedCall_CannotReadRewriteOrTakeOverTheExercise()
    {
        var rita = await app.As(ReviewFixture.Rita);

        var page = await rita.GetAsync($"/exercises/{app.SouthExercise}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain(Fixture.SouthModelAnswer, await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain("South only", await rita.GetStringAsync("/exercises"));

        var fields = app.ExerciseFields(app.SharedCall, "Taken over", publish: true, app.North).Append(new("Id", app.SouthExercise.ToString()));
        var save = await rita.PostFormAsync("/exercises/save", fields, "/exercises");
        Assert.Equal(HttpStatusCode.NotFound, save.StatusCode);
        Assert.Equal("South only", await app.QueryOneAsync<string>("SELECT Title FROM Exercise WHERE Id = @SouthExercise", new { app.SouthExercise }));
        Assert.Equal(app.South, await app.QueryOneAsync<int>("SELECT TeamId FROM ExerciseTeam WHERE ExerciseId = @SouthExercise", new { app.SouthExercise }));
    }

    [Fact]
    public async Task SupervisorOfAnotherTeam_CannotAssignOrCertifyTheExercise()
    {
        var sue = await app.As(ReviewFixture.Sue);
        var assign = await sue.PostFormAsync($"/exercises/{app.SouthExercise}/assign",
            [new("TeamId", app.North.ToString()), new("Due", DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd"))], "/exercises");
        Assert.Equal(HttpStatusCode.NotFound, assign.StatusCode);

        await sue.PostFormAsync("/exercises/certifications", [new("Name", "Borrowed set"), new("Threshold", "50"), new("ExerciseIds", app.SouthExercise.ToString())], "/exercises");
        Assert.Equal(0, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM CertificationExercise WHERE ExerciseId = @SouthExercise", new { app.SouthExercise }));
    }

    [Fact]
    public async Task ReviewerOfTheAuthorsTeam_EditsTheExercise_AndTheTeamsTheyAreNotInStayPublished()
    {
        var nia = await app.As(Fixture.Nia);
        var id = await nia.SaveExerciseAsync(app.ExerciseFields(app.SharedCall, "North and South", publish: true, app.North, app.South));

        var rob = await app.As(ReviewFixture.Rob);
        Assert.Equal(HttpStatusCode.OK, (await rob.GetAsync($"/exercises/{id}")).StatusCode);
        Assert.Contains("North and South", await rob.GetStringAsync("/exercises"));
        var fields = app.ExerciseFields(app.SharedCall, "North and South, edited", publish: true, app.North).Append(new("Id", id.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, (await rob.PostFormAsync("/exercises/save", fields, $"/exercises/{id}")).StatusCode);

        Assert.Equal("North and South, edited", await app.QueryOneAsync<string>("SELECT Title FROM Exercise WHERE Id = @id", new { id }));
        Assert.Equal(2, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM ExerciseTeam WHERE ExerciseId = @id", new { id }));
    }
}
