namespace Dockerless;

public sealed partial class Image
{
    /// <summary>
    /// A writable root filesystem of this image, made from its layers cached in
    /// <see cref="RunOptions.CacheDirectory"/> (each unpacked once, on first use) as
    /// <see cref="RunOptions.RootFilesystem"/> says: by default an overlay (the kernel's overlayfs
    /// as root; fuse-overlayfs rootless, where it is installed and the image's user, or
    /// <see cref="RunOptions.User"/>, is root), else a copy. Run processes in it with
    /// <see cref="OciRuntime.RunAsync"/> and read what they changed from
    /// <see cref="ContainerRootFilesystem.ChangesDirectory"/>; dispose it to unmount and remove it.
    /// Linux only.
    /// </summary>
    public async Task<ContainerRootFilesystem> MountRootFilesystemAsync(RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("a container's root filesystem needs Linux (overlayfs, device nodes, extended attributes)");
        options ??= new RunOptions();
        var bundle = Bundle.Create(RunCache.Directory(options), options.Keep);
        try
        {
            return await RootFilesystem.PrepareAsync(bundle, _layers, options, ImageUser.IsRootSpec(options.User ?? Config.User), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await bundle.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
