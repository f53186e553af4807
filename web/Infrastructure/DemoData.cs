namespace CallReview.Web.Infrastructure;

/// <summary>
/// One feature's part of the demo data (<c>seed-demo</c>). Seeders run in <see cref="Order"/>, each reading what
/// earlier ones created from the shared <see cref="DemoContext"/>; a feature adds its seeder without touching the others.
/// </summary>
public interface IDemoSeeder
{
    int Order { get; }
    Task SeedAsync(DemoContext demo, CancellationToken ct);
}

/// <summary>What the demo seeders created so far, and the fixed random seed that makes the demo the same every time.</summary>
public sealed class DemoContext
{
    public const int RandomSeed = 20261126;
    public const string Password = "demo-password-1";

    public Random Random { get; } = new(RandomSeed);
    /// <summary>Set by the first seeder when the demo is already in the database: nothing more is added.</summary>
    public bool AlreadyLoaded { get; set; }
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    public Dictionary<string, int> Teams { get; } = new();
    /// <summary>Demo users by email; <see cref="Password"/> signs in as any of them.</summary>
    public Dictionary<string, DemoUser> Users { get; } = new();
    /// <summary>The shipped sample calls by slug (samples/calls/&lt;slug&gt;.json).</summary>
    public Dictionary<string, int> SampleCalls { get; } = new();
    /// <summary>Every demo call, samples and generated history.</summary>
    public List<int> Calls { get; } = [];

    public IEnumerable<DemoUser> InRole(string role) => Users.Values.Where(u => u.Roles.Contains(role));
}

public sealed record DemoUser(int Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<int> TeamIds);

/// <summary><c>seed-demo</c>: demo teams, users, sample calls with transcripts and expert annotations, and a history to chart.</summary>
public sealed class SeedDemoCommand(IEnumerable<IDemoSeeder> seeders, ILogger<SeedDemoCommand> logger) : ICliCommand
{
    public string Name => "seed-demo";
    public string Usage => "seed-demo";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var demo = new DemoContext();
        foreach (var seeder in seeders.OrderBy(s => s.Order))
        {
            logger.LogInformation("Seeding {Seeder}", seeder.GetType().Name);
            await seeder.SeedAsync(demo, ct);
            if (demo.AlreadyLoaded)
            {
                Console.WriteLine("demo data is already loaded");
                return 0;
            }
        }
        Console.WriteLine($"demo data: {demo.Teams.Count} teams, {demo.Users.Count} users, {demo.Calls.Count} calls ({demo.SampleCalls.Count} samples)");
        Console.WriteLine($"sign in with any demo user and the password {DemoContext.Password}:");
        foreach (var user in demo.Users.Values.OrderBy(u => u.Roles[0]).ThenBy(u => u.Email))
            Console.WriteLine($"  {user.Email,-42} {string.Join(", ", user.Roles)}");
        return 0;
    }
}
