namespace CallReview.Web.Infrastructure;

/// <summary>A command the web executable runs instead of serving: <c>dotnet run --project web -- NAME args…</c>.</summary>
public interface ICliCommand
{
    string Name { get; }
    string Usage { get; }
    /// <summary>Commands that use the database get it migrated (and its first admin) first.</summary>
    bool UsesDatabase => true;
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct);
}

/// <summary>Dispatches the first argument to a registered command; failures exit non-zero with one line.</summary>
public static class CommandLine
{
    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=');

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        using var scope = services.CreateScope();
        var commands = scope.ServiceProvider.GetServices<ICliCommand>().ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        if (!commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine($"Unknown command '{args[0]}'. Commands: {string.Join(", ", commands.Keys.Order())}.");
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            if (command.UsesDatabase)
                await ServiceSetup.PrepareDatabaseAsync(services, cancel.Token);
            return await command.RunAsync(args[1..], cancel.Token);
        }
        catch (CommandUsageException ex)
        {
            Console.Error.WriteLine($"{command.Name}: {ex.Message}. Usage: {command.Usage}");
            return 2;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"{command.Name}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Value of <c>--name value</c> in a command's arguments, or null.</summary>
    public static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
                return args[i + 1];
        }
        return null;
    }

    public static bool Flag(IReadOnlyList<string> args, string name) => args.Contains(name);

    /// <summary>
    /// A path the user typed, made absolute against the shell's directory: <c>dotnet run --project web</c>
    /// runs the app in web/, but the user meant the directory they typed the command in.
    /// </summary>
    public static string UserPath(string path) =>
        Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell && Directory.Exists(shell)
            ? shell
            : Directory.GetCurrentDirectory());
}

public sealed class CommandUsageException(string message) : Exception(message);

/// <summary><c>migrate</c>: applies pending migrations and says where the database stands.</summary>
public sealed class MigrateCommand(CallReview.Db.Migrator migrator) : ICliCommand
{
    public string Name => "migrate";
    public string Usage => "migrate";
    public bool UsesDatabase => false;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var applied = await migrator.MigrateAsync(ct);
        foreach (var m in applied)
            Console.WriteLine($"applied {m.Version:0000}_{m.Name}");
        Console.WriteLine($"database at migration {await migrator.CurrentVersionAsync(ct)}");
        return 0;
    }
}
