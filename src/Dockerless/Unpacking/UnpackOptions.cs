namespace Dockerless.Unpacking;

/// <summary>How <see cref="Image.UnpackAsync"/> writes an image's root filesystem.</summary>
public sealed record UnpackOptions
{
    /// <summary>The defaults: rootless when not root, owners kept, device nodes created when possible.</summary>
    public static UnpackOptions Default { get; } = new();

    /// <summary>
    /// Whether to unpack as <c>umoci unpack --rootless</c> does: every file owned by the caller
    /// (the layer's owners kept in the <c>user.rootlesscontainers</c> extended attribute), device
    /// nodes skipped, extended attributes only root may set (<c>security.capability</c>,
    /// <c>trusted.*</c>) skipped. <see cref="RootlessMode.Auto"/> (the default) is rootless when
    /// the process is not root.
    /// </summary>
    public RootlessMode Rootless { get; init; } = RootlessMode.Auto;

    /// <summary>
    /// Keep the layers' numeric owners (true by default): as the files' owners when root, in the
    /// <c>user.rootlesscontainers</c> attribute when rootless. False leaves every file owned by the
    /// caller, as <c>tar --no-same-owner</c> does.
    /// </summary>
    public bool PreserveOwners { get; init; } = true;

    /// <summary>What to do with character and block device entries (<see cref="DeviceNodePolicy.Auto"/> by default).</summary>
    public DeviceNodePolicy DeviceNodes { get; init; } = DeviceNodePolicy.Auto;

    /// <summary>What the whiteouts become: applied (a merged tree, the default), or kept for overlayfs in a layer directory of its own.</summary>
    internal WhiteoutFormat Whiteouts { get; init; } = WhiteoutFormat.Apply;

    /// <summary>Tests turn openat2(2) off to prove the component-by-component walk that replaces it on older kernels.</summary>
    internal bool UseOpenat2 { get; init; } = true;
}
