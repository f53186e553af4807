namespace CallReview.Tests;

/// <summary>The repository's root folder, found from the test binaries by looking for CallReview.sln.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CallReview.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("CallReview.sln not found above " + AppContext.BaseDirectory);
    }
}
