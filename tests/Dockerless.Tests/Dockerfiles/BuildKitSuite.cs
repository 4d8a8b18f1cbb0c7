namespace Dockerless.Tests.Dockerfiles;

/// <summary>
/// BuildKit's own Dockerfile parser and shell-lexer cases, from moby/buildkit
/// (Apache-2.0, <c>frontend/dockerfile/</c> at commit 73ed6825c4b7; see the suite's README,
/// LICENSE and NOTICE, kept beside it). The project's peer suites live in
/// <c>../shared/peer-suites/buildkit-dockerfile</c>; the copy in this folder lets a clone build
/// and test where that folder is not, and a test checks that the copy still equals it where it is.
/// When the copy is missing every case fails saying where it was looked for.
/// </summary>
internal static class BuildKitSuite
{
    /// <summary>The case name given when the suite is missing, so that the theory fails instead of finding no data.</summary>
    public const string Missing = "(suite missing)";

    /// <summary>The suite's copy in the repository.</summary>
    public static string Root { get; } = Path.Combine(FindRepositoryRoot(), "tests", "Dockerless.Tests", "Dockerfiles", "BuildKitSuite");

    /// <summary>The project's shared peer suite the copy was taken from: ../shared/peer-suites/buildkit-dockerfile beside the repository.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "peer-suites", "buildkit-dockerfile"));

    /// <summary>Whether the suite is where it is expected.</summary>
    public static bool IsPresent => Directory.Exists(Root);

    /// <summary>The message a case fails with when the suite is missing.</summary>
    public static string MissingMessage =>
        $"BuildKit's Dockerfile conformance suite is missing: expected it at {Root} (a copy of ../shared/peer-suites/buildkit-dockerfile)";

    /// <summary>Fails the calling test when <paramref name="caseName"/> stands for the missing suite.</summary>
    public static void RequirePresent(string caseName)
    {
        Assert.False(caseName == Missing || !IsPresent, MissingMessage);
    }

    /// <summary>The path of <paramref name="relative"/> inside the suite.</summary>
    public static string PathOf(params string[] relative) => Path.Combine([Root, .. relative]);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dockerless.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Dockerless.slnx above {AppContext.BaseDirectory}");
    }
}
