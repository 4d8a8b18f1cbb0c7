using System.Diagnostics;
using System.Text;
using Dockerless.Unpacking;

namespace Dockerless.Running;

/// <summary>
/// Makes a bundle's <c>rootfs</c> from an image's layers, through the <see cref="LayerCache"/>:
/// as root an overlayfs mount of the cached layers (what docker's overlay2 mounts), rootless a
/// fuse-overlayfs mount of them where fuse-overlayfs is installed and /dev/fuse may be opened,
/// otherwise a copy of the image's cached merged tree. The container's writes land in the
/// bundle's <c>upper</c> (or its copy), never in the cache.
/// </summary>
internal static class RootFilesystem
{
    /// <summary>The mount options' limit (a page); an image with too many layers for it is copied instead.</summary>
    private const int MaxMountOptions = 4000;

    private const string Upper = "upper";

    /// <summary>Makes <paramref name="bundle"/>'s root filesystem; the writable root filesystem that describes it.</summary>
    public static async Task<ContainerRootFilesystem> PrepareAsync(Bundle bundle, IReadOnlyList<Layer> layers, RunOptions options, bool rootInside, CancellationToken cancellationToken)
    {
        var rootless = !OciRuntime.IsRoot;
        var cache = new LayerCache(RunCache.Directory(options), options.Logger);
        var fuse = rootless ? FuseOverlay() : null;
        var overlay = options.RootFilesystem switch
        {
            RootFilesystemMode.Copy => false,
            RootFilesystemMode.Overlay => true,
            _ => !rootless || (fuse is not null && rootInside),
        };
        if (overlay && await TryMountAsync(bundle, layers, cache, rootless, fuse, options.RootFilesystem == RootFilesystemMode.Overlay, cancellationToken).ConfigureAwait(false))
        {
            return new ContainerRootFilesystem(bundle, RootFilesystemMode.Overlay, Path.Combine(bundle.Path, Upper), null);
        }
        var tree = await cache.TreeAsync(layers, rootless, cancellationToken).ConfigureAwait(false);
        await RunAsync("cp", ["-a", "--reflink=auto", "--", tree, bundle.RootFilesystem], "copy the image's root filesystem", cancellationToken).ConfigureAwait(false);
        return new ContainerRootFilesystem(bundle, RootFilesystemMode.Copy, null, tree);
    }

    /// <summary>Mounts the overlay; false when it cannot be and <paramref name="required"/> is not set (the caller copies instead).</summary>
    private static async Task<bool> TryMountAsync(Bundle bundle, IReadOnlyList<Layer> layers, LayerCache cache, bool rootless, string? fuse, bool required, CancellationToken cancellationToken)
    {
        if (rootless && fuse is null)
        {
            return required ? throw new ContainerConfigurationException("a rootless overlay needs fuse-overlayfs (apt-get install fuse-overlayfs) and a /dev/fuse this user may open") : false;
        }
        var directories = new string[layers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, layers.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) => directories[i] = await cache.LayerAsync(layers[i], rootless, token).ConfigureAwait(false)).ConfigureAwait(false);

        // Short links to the layers keep the options under a page (docker's overlay2 does the same);
        // an empty directory stands for the layers of an image that has none.
        var links = Path.Combine(bundle.Path, "l");
        Directory.CreateDirectory(links);
        var lower = new List<string>();
        for (var i = directories.Length - 1; i >= 0; i--)
        {
            var link = Path.Combine(links, (directories.Length - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.CreateSymbolicLink(link, directories[i]);
            lower.Add(link);
        }
        if (lower.Count == 0) lower.Add(Directory.CreateDirectory(Path.Combine(links, "empty")).FullName);
        var upper = Directory.CreateDirectory(Path.Combine(bundle.Path, Upper)).FullName;
        var work = Directory.CreateDirectory(Path.Combine(bundle.Path, "work")).FullName;
        Directory.CreateDirectory(bundle.RootFilesystem);
        var mountOptions = $"lowerdir={string.Join(':', lower)},upperdir={upper},workdir={work}";
        if (mountOptions.Length > MaxMountOptions || bundle.Path.IndexOfAny([',', ':']) >= 0)
        {
            return required ? throw new ContainerConfigurationException($"cannot mount an overlay of {layers.Count} layers from {bundle.Path}: the options would not fit in a page or hold a ',' or ':'") : Undo(bundle);
        }
        if (fuse is not null)
        {
            await RunAsync(fuse, ["-o", mountOptions, bundle.RootFilesystem], "mount the layers with fuse-overlayfs", cancellationToken).ConfigureAwait(false);
            return true;
        }
        var errno = Mounts.MountOverlay(bundle.RootFilesystem, mountOptions);
        if (errno == 0) return true;
        var error = Syscalls.Error(errno, "mount an overlay of the image's layers on", bundle.RootFilesystem);
        return required ? throw error : Undo(bundle);
    }

    private static readonly string[] s_overlayParts = ["rootfs", Upper, "work", "l"];

    /// <summary>Takes away what a failed overlay left, so that the copy starts from a clean bundle.</summary>
    private static bool Undo(Bundle bundle)
    {
        using var directory = FileDescriptor.Open(-100, bundle.Path, Syscalls.Path | Syscalls.Directory, bundle.Path);
        foreach (var name in s_overlayParts) TreeRemover.Remove(directory.Value, name, Path.Combine(bundle.Path, name));
        return false;
    }

    private static readonly string[] s_fuseOverlayPaths = ["/usr/bin/fuse-overlayfs", "/usr/local/bin/fuse-overlayfs", "/bin/fuse-overlayfs"];

    /// <summary>fuse-overlayfs when it is installed and /dev/fuse may be opened (a 0600 one may not, and libfuse does not fall back to fusermount3).</summary>
    private static string? FuseOverlay()
    {
        var program = s_fuseOverlayPaths.FirstOrDefault(File.Exists);
        if (program is null) return null;
        try
        {
            using var device = new FileStream("/dev/fuse", FileMode.Open, FileAccess.ReadWrite);
            return program;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new IOException($"cannot {what}: {program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var message = new StringBuilder((await error.ConfigureAwait(false)).Trim()).Append((await output.ConfigureAwait(false)).Trim()).ToString().ReplaceLineEndings(" ");
            throw new IOException($"cannot {what}: {program} exited {process.ExitCode}: {message}");
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
