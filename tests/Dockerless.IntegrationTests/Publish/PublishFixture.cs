using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Publish;

/// <summary>
/// What the publish tests share: the Dockerless.Build package packed under a throwaway version
/// (restored from the packed folder, as a user restores it from a feed), a registry with the
/// .NET base images of <see cref="DotnetBaseImages"/>, and copies of samples/Publish.
/// </summary>
public sealed partial class PublishFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dockerless-publish-").FullName;

    /// <summary>The registry the base images are in and the apps are pushed to.</summary>
    public RegistryProcess Registry { get; private set; } = null!;

    /// <summary>The package's throwaway version.</summary>
    public string Version { get; } = $"0.0.0-publish.{Guid.NewGuid():N}";

    /// <summary>The folder the package was packed into.</summary>
    public string PackageSource => Path.Combine(_dir, "nupkg");

    /// <summary><c>REGISTRY/dotnet/runtime:10.0</c>.</summary>
    public string RuntimeBase => $"{Registry.Host}/dotnet/runtime:10.0";

    /// <summary><c>REGISTRY/dotnet/aspnet:10.0</c>.</summary>
    public string AspNetBase => $"{Registry.Host}/dotnet/aspnet:10.0";

    public async Task InitializeAsync()
    {
        var package = Path.Combine(CliTool.RepositoryRoot, "src", "Dockerless.Build");
        await DotnetAsync(["pack", package, "-c", CliTool.Configuration, "--no-build", "-o", PackageSource, $"-p:PackageVersion={Version}"], null);
        Registry = await RegistryProcess.StartAsync();
        await DotnetBaseImages.PushAsync(Registry);
    }

    /// <summary>A fresh copy of samples/Publish (console, web and the library they share) in its own directory.</summary>
    public string CopySamples()
    {
        var target = Path.Combine(_dir, $"samples-{Guid.NewGuid():N}"[..20]);
        var source = Path.Combine(CliTool.RepositoryRoot, "samples", "Publish");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return target;
    }

    /// <summary>Runs <c>dotnet publish -t:PublishContainer</c> on <paramref name="project"/> with the packed package; returns the output.</summary>
    public Task<string> PublishAsync(string project, IEnumerable<string> properties, IDictionary<string, string>? env = null)
        => DotnetAsync(["publish", project, "-t:PublishContainer", "-c", "Release", "-nodeReuse:false", $"-p:DockerlessSource={PackageSource}", $"-p:DockerlessVersion={Version}", .. properties.Select(p => $"-p:{p}")], env);

    /// <summary>The digest a publish's log line names.</summary>
    public static string DigestIn(string output)
        => PushedDigest().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no digest in the publish's output:\n{output}");

    [GeneratedRegex(@"\((sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();

    private static async Task<string> DotnetAsync(IEnumerable<string> args, IDictionary<string, string>? env)
    {
        var (exitCode, output) = await Peer.TryRunAsync(CliTool.DotnetPath, args, env, timeout: TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} exited {exitCode}:\n{output}");
        return output;
    }

    public async Task DisposeAsync()
    {
        if (Registry is not null) await Registry.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
        var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "dockerless.build", Version);
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
    }
}
