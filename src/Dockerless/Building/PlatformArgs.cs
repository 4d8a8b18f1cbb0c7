namespace Dockerless.Building;

/// <summary>The ARGs BuildKit defines for every build: the target's and the build machine's platform.</summary>
internal static class PlatformArgs
{
    /// <summary>TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT and the BUILD* four, as BuildKit fills them.</summary>
    public static Dictionary<string, string> For(Platform target, Platform build)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(args, "TARGET", target);
        Add(args, "BUILD", build);
        return args;
    }

    private static void Add(Dictionary<string, string> args, string prefix, Platform platform)
    {
        args[prefix + "PLATFORM"] = platform.ToString();
        args[prefix + "OS"] = platform.Os;
        args[prefix + "ARCH"] = platform.Architecture;
        args[prefix + "VARIANT"] = platform.Variant ?? "";
    }
}
