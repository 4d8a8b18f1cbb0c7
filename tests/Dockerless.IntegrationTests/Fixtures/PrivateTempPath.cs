namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// Points <c>TMPDIR</c> (and so <see cref="Path.GetTempPath"/>) at a fresh directory while it
/// lives, so a test can see exactly which temporary files Dockerless left: /tmp is shared with
/// every other test process on the machine. Only for tests in a collection that runs alone.
/// </summary>
public sealed class PrivateTempPath : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable("TMPDIR");
    private readonly TempDirectory _directory = new();

    public PrivateTempPath() => Environment.SetEnvironmentVariable("TMPDIR", _directory.Path);

    /// <summary>Files Dockerless made there (blob downloads, spools), not the test's own layers.</summary>
    public List<string> DockerlessFiles()
        => [.. Directory.EnumerateFiles(_directory.Path, "dockerless-*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("dockerless-test-layer-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _previous);
        _directory.Dispose();
    }
}
