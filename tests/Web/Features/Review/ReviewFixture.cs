using CallReview.Tests.Web.Features.Admin;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// Two teams; North has reviewers Rita and Rob, supervisor Sue and agent Leo (a learner); South has reviewer
/// Sam. One transcribed North call with Leo as the agent, one South call.
/// </summary>
public class ReviewFixture : CallReviewApp, IAsyncLifetime
{
    public const string Rita = "rita@test.local", Rob = "rob@test.local", Sue = "sue@test.local", Leo = "leo@test.local", Sam = "sam@test.local";
    public const string Password = "review-pass-123";

    public int NorthCall { get; private set; }
    public int SouthCall { get; private set; }
    public int North { get; private set; }
    public int LeoId { get; private set; }

    public virtual async Task InitializeAsync()
    {
        var admin = await AdminAsync();
        North = await admin.CreateTeamAsync("North");
        var south = await admin.CreateTeamAsync("South");
        await admin.CreateUserAsync(Rita, "Rita Reviewer", Password, ["reviewer"], North);
        await admin.CreateUserAsync(Rob, "Rob Reviewer", Password, ["reviewer"], North);
        await admin.CreateUserAsync(Sue, "Sue Supervisor", Password, ["supervisor"], North);
        await admin.CreateUserAsync(Leo, "Leo Agent", Password, ["learner"], North);
        await admin.CreateUserAsync(Sam, "Sam Reviewer", Password, ["reviewer"], south);
        LeoId = await this.UserIdAsync(Leo);
        NorthCall = await this.InsertCallAsync("Invoice complaint", North, LeoId, tags: "billing");
        SouthCall = await this.InsertCallAsync("South call", south, null);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<HttpClient>>> _clients = new();

    /// <summary>A signed-in client per user, reused: sign-in is rate limited to 20 a minute.</summary>
    public Task<HttpClient> As(string email) =>
        _clients.GetOrAdd(email, e => new Lazy<Task<HttpClient>>(() => SignedInAsync(e, Password))).Value;

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
