using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace CallReview.Db;

/// <summary>A numbered, forward-only SQL script embedded from <c>db/migrations/{provider}/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>The database holds migrations this build does not know: an older build must not run against it.</summary>
public sealed class DatabaseAheadException(int databaseVersion, int codeVersion)
    : Exception($"The database is at migration {databaseVersion} but this build only knows up to {codeVersion}. Run a newer CallReview.");

/// <summary>Applies pending migrations, one transaction each, recorded in the SchemaMigration table.</summary>
public sealed partial class Migrator(IDbConnectionFactory connections)
{
    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();

    public static IReadOnlyList<Migration> Load(DatabaseProvider provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"migrations/{provider.ToString().ToLowerInvariant()}/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = resource[prefix.Length..];
            var match = FileName().Match(file);
            if (!match.Success)
                throw new InvalidOperationException($"Migration '{resource}' is misnamed: expected NNNN_lower_snake_name.sql.");
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"Migrations for {provider} must be numbered 1..n without gaps; found {migrations[i].Version} at position {i + 1}.");
        }
        return migrations;
    }

    /// <summary>Brings the database up to date and returns the migrations that were applied now.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var all = Load(connections.Dialect.Provider);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await EnsureJournalAsync(connection);
        var current = await CurrentVersionAsync(connection);
        var latest = all.Count == 0 ? 0 : all[^1].Version;
        if (current > latest)
            throw new DatabaseAheadException(current, latest);

        var applied = new List<Migration>();
        foreach (var migration in all.Where(m => m.Version > current))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO SchemaMigration (Version, Name, AppliedAt) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = DateTimeOffset.UtcNow }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration);
        }
        return applied;
    }

    /// <summary>The highest migration applied, or 0 for an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await EnsureJournalAsync(connection);
        return await CurrentVersionAsync(connection);
    }

    public int LatestKnownVersion => Load(connections.Dialect.Provider).Count;

    private static Task<int> CurrentVersionAsync(DbConnection connection) =>
        connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(Version), 0) FROM SchemaMigration");

    private Task EnsureJournalAsync(DbConnection connection) => connection.ExecuteAsync(connections.Dialect.CreateMigrationJournal);
}
