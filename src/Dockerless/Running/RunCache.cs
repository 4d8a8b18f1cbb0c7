namespace Dockerless.Running;

/// <summary>Where runs keep what outlives one of them: the unpacked layers and the bundles of running containers.</summary>
internal static class RunCache
{
    /// <summary><see cref="RunOptions.CacheDirectory"/>, else <c>$XDG_CACHE_HOME/dockerless</c>, else <c>~/.cache/dockerless</c>.</summary>
    public static string Directory(RunOptions options)
    {
        if (options.CacheDirectory is { Length: > 0 } given) return Path.GetFullPath(given);
        if (System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "dockerless");
        var home = System.Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".cache", "dockerless") : Path.Combine(Path.GetTempPath(), $"dockerless-cache-{Unpacking.Syscalls.EffectiveUserId()}");
    }
}
