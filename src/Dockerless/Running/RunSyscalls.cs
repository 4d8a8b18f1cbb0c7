using System.Runtime.InteropServices;

namespace Dockerless.Running;

/// <summary>The Linux calls running a container needs that .NET does not offer.</summary>
internal static partial class RunSyscalls
{
    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint EffectiveGroupId();
}
