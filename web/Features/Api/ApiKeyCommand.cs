using CallReview.Web.Features.Accounts;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Api;

/// <summary><c>apikey create --user EMAIL [--name NAME]</c>: prints the new key as the last word.</summary>
public sealed class ApiKeyCommand(ApiKeyStore keys, AccountStore accounts) : ICliCommand
{
    public string Name => "apikey";
    public string Usage => "apikey create --user <email> [--name <label>]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] != "create" || CommandLine.Option(args, "--user") is not { } email)
            throw new CommandUsageException("expected 'create --user <email>'");
        var user = await accounts.FindByEmailAsync(email, ct) ?? throw new InvalidOperationException($"no user with email {email}");
        var key = await keys.CreateAsync(user.Id, CommandLine.Option(args, "--name") ?? "command line", ct);
        Console.WriteLine($"API key for {user.Email} (shown once): {key}");
        return 0;
    }
}
