using Dockerless.Layers;

namespace Dockerless.Unpacking;

/// <summary>Permission changes that never follow a symlink.</summary>
internal static class Modes
{
    /// <summary>
    /// Sets the mode of <paramref name="name"/> in <paramref name="directory"/> without following
    /// it: fchmodat2(2) where the kernel has it (6.6), else chmod of the node reached through
    /// /proc/self/fd of an O_PATH|O_NOFOLLOW descriptor, as glibc does. A symlink is left alone
    /// (its mode means nothing). False when the system refused.
    /// </summary>
    public static bool TrySet(int directory, string name, uint mode, string display)
    {
        if (Syscalls.ChangeModeNoFollow(directory, name, mode) == 0) return true;
        var errno = Syscalls.LastError;
        if (errno is not (Syscalls.NotImplemented or Syscalls.NotSupported or Syscalls.InvalidArgument or Syscalls.NotPermitted)) return false;
        using var node = FileDescriptor.TryOpen(directory, name, Syscalls.Path | Syscalls.NoFollow, out _);
        if (node is null || NodeKinds.Of(node.Value, "", display) == HostFileKind.SymbolicLink) return false;
        return Syscalls.ChangeModeOfPath($"/proc/self/fd/{node.Value}", mode) == 0;
    }

    /// <summary>As <see cref="TrySet"/>, throwing when the system refused.</summary>
    public static void Set(int directory, string name, uint mode, string display)
    {
        if (!TrySet(directory, name, mode, display)) throw Syscalls.Error(Syscalls.LastError, "change the mode of", display);
    }
}
