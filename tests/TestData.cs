namespace CallReview.Tests;

/// <summary>
/// The shared test data folder (audio and models that are never copied into the repository):
/// <c>CALLREVIEW_TESTDATA</c>, or <c>&lt;repo&gt;/../shared/testdata</c>.
/// </summary>
public static class TestData
{
    public const string Variable = "CALLREVIEW_TESTDATA";

    public static string Root { get; } = FindRoot();

    /// <summary>A file under audio/, e.g. <c>Audio("jfk.wav")</c>.</summary>
    public static string Audio(string name) => File("audio", name);

    /// <summary>A file under models/, e.g. <c>Model("ggml-tiny.en-q8_0.bin")</c>.</summary>
    public static string Model(string name) => File("models", name);

    public static string File(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"Test data file missing: {path} (test data root {Root}, see its README.md)", path);
        return path;
    }

    private static string FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var root = string.IsNullOrEmpty(configured)
            ? Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "testdata"))
            : Path.GetFullPath(configured);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException(
                $"Test data folder not found: {root}. Set {Variable} to the folder holding audio/ and models/.");
        }
        return root;
    }
}
