namespace Dockerless.Unpacking;

/// <summary>What an unpack does with a character or block device entry (fifos are always made).</summary>
public enum DeviceNodePolicy
{
    /// <summary>
    /// Create it when not rootless; skip it (and report it in <see cref="UnpackResult.Skipped"/>)
    /// when rootless or when the system refuses mknod(2), as in a user namespace.
    /// </summary>
    Auto,

    /// <summary>Always create it; the unpack fails where that is not allowed.</summary>
    Create,

    /// <summary>Never create it; each is reported in <see cref="UnpackResult.Skipped"/>.</summary>
    Skip,
}
