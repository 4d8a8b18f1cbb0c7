namespace Dockerless.Unpacking;

/// <summary>Whether an unpack makes the tree as an unprivileged user can (see <see cref="UnpackOptions.Rootless"/>).</summary>
public enum RootlessMode
{
    /// <summary>Rootless when the process's effective user is not root.</summary>
    Auto,

    /// <summary>Rootless even as root: owners go to the <c>user.rootlesscontainers</c> attribute, device nodes are skipped.</summary>
    Always,

    /// <summary>Never rootless: owners, device nodes and every extended attribute are written or the unpack fails (needs root).</summary>
    Never,
}
