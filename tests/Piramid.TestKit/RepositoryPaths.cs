namespace Piramid.TestKit;

/// <summary>Finds the repository root (the folder holding Piramid.sln) from the test's working directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Piramid.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Piramid.sln not found above " + AppContext.BaseDirectory);
    }
}
