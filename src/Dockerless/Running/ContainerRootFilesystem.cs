namespace Dockerless.Running;

/// <summary>
/// A writable root filesystem made from an image's cached layers, in a directory of its own under
/// the run cache (<c>CACHE/run/ID/rootfs</c>), for a caller to run processes in with
/// <see cref="OciRuntime.RunAsync"/> and read their changes back: an overlay of the cached layers
/// whose writes land in <see cref="ChangesDirectory"/>, or a copy of the image's cached merged
/// tree (<see cref="BaseDirectory"/>). Disposing unmounts and removes it (unless
/// <see cref="RunOptions.Keep"/>); the cached layers are never changed.
/// </summary>
public sealed class ContainerRootFilesystem : IAsyncDisposable
{
    internal ContainerRootFilesystem(Bundle bundle, RootFilesystemMode mode, string? changesDirectory, string? baseDirectory)
    {
        Bundle = bundle;
        Mode = mode;
        ChangesDirectory = changesDirectory;
        BaseDirectory = baseDirectory;
    }

    /// <summary>The root filesystem's directory: what a process run there sees as <c>/</c>.</summary>
    public string Path => Bundle.RootFilesystem;

    /// <summary>How it was made: <see cref="RootFilesystemMode.Overlay"/> or <see cref="RootFilesystemMode.Copy"/>.</summary>
    public RootFilesystemMode Mode { get; }

    /// <summary>
    /// With an overlay, its upper directory: every path written, made or changed since it was
    /// mounted, and each one removed as overlayfs records it (a 0:0 character device; an opaque
    /// directory carries <c>trusted.overlay.opaque=y</c>, or <c>user.fuseoverlayfs.opaque</c> under
    /// fuse-overlayfs). Read it after the processes ended; null for a copy.
    /// </summary>
    public string? ChangesDirectory { get; }

    /// <summary>With a copy, the cached merged tree it was copied from (compare with it to find the changes; never write to it); null for an overlay.</summary>
    public string? BaseDirectory { get; }

    internal Bundle Bundle { get; }

    /// <summary>Unmounts the root filesystem and removes its directory, unless kept.</summary>
    public ValueTask DisposeAsync() => Bundle.DisposeAsync();
}
