namespace Dockerless.Running;

/// <summary>How a run makes the container's root filesystem from the image's cached layers.</summary>
public enum RootFilesystemMode
{
    /// <summary>An overlay where one can be mounted (kernel overlayfs as root; fuse-overlayfs rootless, for root inside), else a copy.</summary>
    Auto,

    /// <summary>An overlay of the cached layers, or a failure saying why none can be mounted.</summary>
    Overlay,

    /// <summary>A copy of the image's cached merged tree, made for this run.</summary>
    Copy,
}
