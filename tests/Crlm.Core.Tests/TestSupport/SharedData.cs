namespace Crlm.Core.Tests.TestSupport;

/// <summary>
/// Locates the shared, read-only test data that sits next to the repository (../shared/data/real), found
/// by walking up from the test binaries to the folder holding Crlm.MLNet.sln. A user's clone has no such
/// folder; tests that need it use <see cref="RequiresSharedDataFactAttribute"/> and are skipped.
/// </summary>
public static class SharedData
{
    public const string MissingReason = "../shared/data is absent (a user clone has none); CI has it";

    /// <summary>The repository root (the folder holding Crlm.MLNet.sln), or null when not found.</summary>
    public static string? RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/data/real relative to the repository root, or null when it does not exist.</summary>
    public static string? RealDirectory { get; } = FindRealDirectory();

    public static bool IsAvailable => RealDirectory is not null;

    /// <summary>reference.json: nibabel/pydicom readings of every file in the real-data folder.</summary>
    public static string ReferenceJson => Real("reference.json");

    /// <summary>Full path of a file in the real-data folder, e.g. "totalsegmentator/example_seg.nii.gz".</summary>
    public static string Real(string relative)
    {
        if (RealDirectory is null)
        {
            throw new InvalidOperationException(MissingReason);
        }

        return Path.GetFullPath(Path.Combine(RealDirectory, relative));
    }

    /// <summary>A fixture folder copied to the test output (tests/Crlm.Core.Tests/Fixtures/<paramref name="name"/>).</summary>
    public static string Fixtures(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Crlm.MLNet.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? FindRealDirectory()
    {
        if (RepoRoot is null)
        {
            return null;
        }

        string real = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "real"));
        return Directory.Exists(real) ? real : null;
    }
}

/// <summary>A fact that is skipped, with <see cref="SharedData.MissingReason"/>, when ../shared/data is absent.</summary>
public sealed class RequiresSharedDataFactAttribute : FactAttribute
{
    public RequiresSharedDataFactAttribute()
    {
        if (!SharedData.IsAvailable)
        {
            Skip = SharedData.MissingReason;
        }
    }
}

/// <summary>A theory that is skipped, with <see cref="SharedData.MissingReason"/>, when ../shared/data is absent.</summary>
public sealed class RequiresSharedDataTheoryAttribute : TheoryAttribute
{
    public RequiresSharedDataTheoryAttribute()
    {
        if (!SharedData.IsAvailable)
        {
            Skip = SharedData.MissingReason;
        }
    }
}
