namespace Dockerless.Tests.Dockerfiles;

/// <summary>The repository's copy of BuildKit's cases is the project's shared peer suite, file for file, where that is present.</summary>
public class BuildKitSuiteCopyTests
{
    [Fact]
    public void The_copy_equals_the_shared_suite()
    {
        Assert.True(BuildKitSuite.IsPresent, BuildKitSuite.MissingMessage);
        if (!Directory.Exists(BuildKitSuite.Shared)) return;
        Assert.Equal(Files(BuildKitSuite.Shared), Files(BuildKitSuite.Root));
        foreach (var file in Files(BuildKitSuite.Shared))
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(BuildKitSuite.Shared, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(BuildKitSuite.Root, file))),
                $"{file} differs from {BuildKitSuite.Shared}: copy the shared suite into {BuildKitSuite.Root} again");
        }
    }

    private static List<string> Files(string root)
        => [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
