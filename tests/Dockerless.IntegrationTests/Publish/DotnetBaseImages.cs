using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Publish;

/// <summary>
/// .NET base images made at test time without the internet, from this machine's own runtime:
/// the <c>dotnet</c> host and shared frameworks, and the glibc libraries <c>ldd</c> names for
/// them (plus OpenSSL), with DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 because libicu is left out.
/// <c>dotnet/runtime:10.0</c> has Microsoft.NETCore.App, <c>dotnet/aspnet:10.0</c> adds
/// Microsoft.AspNetCore.App on top (as Microsoft's images do), and <c>dotnet/runtime:10.0-zstd</c>
/// is the runtime image with zstd layers. <c>dotnet/runtime:10.0-multi</c> is an index of the
/// runtime image for linux/amd64 and the same files marked linux/arm64 (which only the structure
/// of a multi-RID publish needs: it is never run).
/// </summary>
public static partial class DotnetBaseImages
{
    private const string DotnetRoot = "/usr/share/dotnet";

    /// <summary>Builds the images and pushes them to <paramref name="registry"/>; returns the runtime's version.</summary>
    public static async Task<string> PushAsync(RegistryProcess registry)
    {
        var netcore = Directory.GetDirectories(Path.Combine(DotnetRoot, "shared", "Microsoft.NETCore.App")).Order(StringComparer.Ordinal).Last();
        var aspnet = Path.Combine(DotnetRoot, "shared", "Microsoft.AspNetCore.App", Path.GetFileName(netcore));
        if (!Directory.Exists(aspnet)) throw new InvalidOperationException($"the tests need Microsoft.AspNetCore.App {Path.GetFileName(netcore)} beside {netcore}: install the aspnetcore runtime of the same version");
        var runtime = new LayerBuilder()
            .AddPath(Path.Combine(DotnetRoot, "dotnet"), "/usr/share/dotnet/dotnet")
            .AddPath(Path.Combine(DotnetRoot, "host"), "/usr/share/dotnet/host")
            .AddPath(netcore, $"/usr/share/dotnet/shared/Microsoft.NETCore.App/{Path.GetFileName(netcore)}")
            .AddSymbolicLink("/usr/bin/dotnet", "../share/dotnet/dotnet")
            .AddDirectory("/tmp", (UnixFileMode)0x3FF);
        foreach (var library in await LibrariesAsync([Path.Combine(DotnetRoot, "dotnet"), .. Directory.GetFiles(netcore, "*.so")]))
        {
            runtime.AddPath(library, library);
        }
        string[] env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654", $"DOTNET_VERSION={Path.GetFileName(netcore)}", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1"];
        await using var pool = new RegistryPool();
        var client = pool.Get(registry.Host);
        foreach (var (tag, compression) in new[] { ("10.0", LayerCompression.Gzip), ("10.0-zstd", LayerCompression.Zstd) })
        {
            await using var image = Image.Scratch($"{registry.Host}/dotnet/runtime", tag, Platform.Parse("linux/amd64"));
            image.AddLayer(await runtime.BuildAsync(new LayerOptions { Compression = compression }));
            foreach (var variable in env) image.Config.Env.Add(variable);
            await client.PushImageAsync(image);
        }
        await using (var amd64 = await client.PullImageAsync(ImageReference.Parse($"{registry.Host}/dotnet/runtime:10.0"), lazy: true))
        await using (var arm64 = await client.PullImageAsync(ImageReference.Parse($"{registry.Host}/dotnet/runtime:10.0"), lazy: true))
        {
            arm64.Platform = Platform.Parse("linux/arm64");
            await using var index = ImageIndex.Create([amd64, arm64]);
            index.Name = $"{registry.Host}/dotnet/runtime";
            index.Tag = "10.0-multi";
            await client.PushIndexAsync(index);
        }
        await using (var image = await client.PullImageAsync(ImageReference.Parse($"{registry.Host}/dotnet/runtime:10.0"), lazy: true))
        {
            image.AddLayer(await new LayerBuilder().AddPath(aspnet, $"/usr/share/dotnet/shared/Microsoft.AspNetCore.App/{Path.GetFileName(aspnet)}").BuildAsync());
            image.Config.Env.Add("ASPNETCORE_HTTP_PORTS=8080");
            image.Name = $"{registry.Host}/dotnet/aspnet";
            image.Tag = "10.0";
            await client.PushImageAsync(image);
        }
        return Path.GetFileName(netcore);
    }

    /// <summary>The shared libraries <c>ldd</c> lists for <paramref name="binaries"/>, and OpenSSL's (loaded at run time, which ldd cannot see).</summary>
    private static async Task<IReadOnlyList<string>> LibrariesAsync(IEnumerable<string> binaries)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var binary in binaries)
        {
            foreach (Match m in LddPath().Matches(await Peer.RunAsync("ldd", [binary])))
            {
                if (!m.Value.StartsWith(DotnetRoot, StringComparison.Ordinal)) found.Add(m.Value);
            }
        }
        foreach (var openssl in new[] { "/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3" })
        {
            if (File.Exists(openssl)) found.Add(openssl);
        }
        return [.. found];
    }

    [GeneratedRegex(@"/[^\s]+\.so[^\s]*")]
    private static partial Regex LddPath();
}
