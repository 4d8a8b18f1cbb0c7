namespace Dockerless.Unpacking;

/// <summary>Why part of a layer entry was not written.</summary>
public enum SkipReason
{
    /// <summary>A character or block device node (rootless, refused by the system, or <see cref="DeviceNodePolicy.Skip"/>).</summary>
    DeviceNode,

    /// <summary>
    /// An extended attribute the system refused (one only root may set, such as
    /// <c>security.capability</c>, when rootless; any, on a filesystem without them), or one
    /// that is the host's business (<c>security.selinux</c>, <c>system.nfs4_acl</c>), never set.
    /// </summary>
    ExtendedAttribute,
}

/// <summary>An entry, or one extended attribute of it, that an unpack did not write.</summary>
/// <param name="Layer">The layer's digest.</param>
/// <param name="Path">The entry's path in the image (normalised, without a leading <c>/</c>).</param>
/// <param name="Reason">What was skipped.</param>
/// <param name="Detail">For an extended attribute its name; for a device node its kind and numbers (<c>char 1:3</c>).</param>
public sealed record SkippedEntry(string Layer, string Path, SkipReason Reason, string Detail);
