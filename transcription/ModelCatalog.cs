namespace CallReview.Transcription;

/// <summary>
/// The whisper models this installation can use, found without the network: the configured
/// <c>CallReview:Whisper:ModelPath</c>, then <c>&lt;data&gt;/models/</c>, then the shared test data's models
/// folder when present. Jobs name a model by file name only, so nobody can point the engine at an arbitrary path.
/// </summary>
public sealed class ModelCatalog(string? configuredPath, IReadOnlyList<string> searchDirectories, TimeProvider? clock = null)
{
    public sealed record ModelFile(string Name, string Path, long SizeBytes, bool IsEnglishOnly);

    /// <summary>How long <see cref="DefaultModelFound"/> holds what it found: a model added or removed shows within this.</summary>
    public static readonly TimeSpan FoundLifetime = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    // A reference, so requests on other threads read one whole answer.
    private Lookup? _found;

    private sealed record Lookup(DateTimeOffset At, bool Found);

    public IReadOnlyList<string> SearchDirectories { get; } = searchDirectories;

    /// <summary>Every usable ggml whisper model (not VAD models, not the vocabulary-only test files).</summary>
    public IReadOnlyList<ModelFile> Available()
    {
        var files = new List<ModelFile>();
        if (!string.IsNullOrWhiteSpace(configuredPath) && File.Exists(configuredPath))
            files.Add(Describe(configuredPath));
        foreach (var dir in SearchDirectories.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(dir, "ggml-*.bin").Order(StringComparer.Ordinal))
            {
                var name = System.IO.Path.GetFileName(path);
                if (name.Contains("silero", StringComparison.OrdinalIgnoreCase) || name.StartsWith("for-tests", StringComparison.Ordinal) ||
                    files.Any(f => f.Name == name))
                    continue;
                files.Add(Describe(path));
            }
        }
        return files;
    }

    /// <summary>
    /// The model a job uses: the one it names, else the configured one, else the best found —
    /// multilingual before English-only (calls come in several languages), then the larger.
    /// </summary>
    public ModelFile? Resolve(string? name)
    {
        var available = Available();
        if (!string.IsNullOrWhiteSpace(name))
            return available.FirstOrDefault(m => m.Name == name);
        if (!string.IsNullOrWhiteSpace(configuredPath))
            return available.FirstOrDefault(m => m.Path == configuredPath);
        return available.OrderBy(m => m.IsEnglishOnly).ThenByDescending(m => m.SizeBytes).FirstOrDefault();
    }

    /// <summary>
    /// Whether <see cref="Resolve"/> finds a model for a job that names none, for a page asked for often (the calls list
    /// says when none is found): the folders are read at most once per <see cref="FoundLifetime"/>, not on every request.
    /// </summary>
    public bool DefaultModelFound()
    {
        var now = _clock.GetUtcNow();
        var found = _found;
        if (found is null || now - found.At >= FoundLifetime)
            _found = found = new Lookup(now, Resolve(null) is not null);
        return found.Found;
    }

    /// <summary>The Silero VAD model for speech detection, if one is configured or found.</summary>
    public string? FindVadModel(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? configured : null;
        return SearchDirectories.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "ggml-silero*.bin").Order(StringComparer.Ordinal))
            .FirstOrDefault();
    }

    /// <summary>Why no model is available, in words for the calls page and the health check.</summary>
    public string MissingModelAdvice =>
        string.IsNullOrWhiteSpace(configuredPath)
            ? $"No whisper model found (looked in {string.Join(", ", SearchDirectories)}). Run: dotnet run --project web -- models download base"
            : $"The configured model {configuredPath} does not exist. Fix CallReview:Whisper:ModelPath or run: dotnet run --project web -- models download base";

    private static ModelFile Describe(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        return new ModelFile(name, path, new FileInfo(path).Length, name.Contains(".en", StringComparison.Ordinal));
    }
}
