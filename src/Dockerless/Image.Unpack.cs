using Dockerless.Unpacking;

namespace Dockerless;

public sealed partial class Image
{
    /// <summary>
    /// Writes the image's root filesystem into <paramref name="directory"/>, the tree <c>umoci
    /// unpack</c> makes: the layers applied in order, lowest first, each streamed once (whiteouts
    /// and opaque directories applied; hard links, symlinks, modes with setuid, setgid and sticky,
    /// times to the nanosecond, extended attributes such as <c>security.capability</c>; owners and
    /// device nodes as root). Not as root (see <see cref="UnpackOptions.Rootless"/>) the tree is
    /// made as <c>umoci unpack --rootless</c> makes it and what cannot be written is listed in
    /// <see cref="UnpackResult.Skipped"/>. Nothing is ever written outside the directory: symlinks
    /// the layers hold are followed as if it were <c>/</c>. The directory must not exist (its parent
    /// must) or be empty; on failure what was written is removed, and so is a directory this call
    /// made. Linux only. Throws <see cref="InvalidLayerException"/> or
    /// <see cref="UnsafeTarEntryException"/> for a layer it refuses, <see cref="IOException"/> when
    /// the system refuses a write.
    /// </summary>
    public Task<UnpackResult> UnpackAsync(string directory, UnpackOptions? options = null, CancellationToken cancellationToken = default)
        => Unpacker.UnpackAsync(_layers, directory, options ?? UnpackOptions.Default, cancellationToken);
}
