namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// A user without privileges, made with useradd when the machine lacks it, for running the tool
/// and its peers as a rootless user would (setpriv drops to it, with no supplementary groups).
/// </summary>
public static class UnprivilegedUser
{
    public const string Name = "dockerless-rootless";

    private static readonly SemaphoreSlim s_lock = new(1, 1);
    private static (int Uid, int Gid)? _ids;

    /// <summary>The user's uid and gid, making the user first if needed.</summary>
    public static async Task<(int Uid, int Gid)> EnsureAsync()
    {
        await s_lock.WaitAsync();
        try
        {
            if (_ids is { } known) return known;
            var (exists, _) = await Peer.TryRunAsync("id", ["-u", Name]);
            if (exists != 0) await Peer.RunAsync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", Name]);
            var uid = int.Parse((await Peer.RunAsync("id", ["-u", Name])).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var gid = int.Parse((await Peer.RunAsync("id", ["-g", Name])).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            _ids = (uid, gid);
            return (uid, gid);
        }
        finally
        {
            s_lock.Release();
        }
    }

    /// <summary>
    /// Gives the user a range of subordinate ids (/etc/subuid and /etc/subgid) unless it has one,
    /// as a rootless podman or dockerd user has: a rootless container's users other than root map there.
    /// </summary>
    public static async Task EnsureSubordinateIdsAsync()
    {
        await EnsureAsync();
        await s_lock.WaitAsync();
        try
        {
            var listed = File.Exists("/etc/subuid") && File.ReadLines("/etc/subuid").Any(l => l.StartsWith(Name + ":", StringComparison.Ordinal))
                && File.Exists("/etc/subgid") && File.ReadLines("/etc/subgid").Any(l => l.StartsWith(Name + ":", StringComparison.Ordinal));
            if (!listed) await Peer.RunAsync("usermod", ["--add-subuids", "300000-365535", "--add-subgids", "300000-365535", Name]);
        }
        finally
        {
            s_lock.Release();
        }
    }

    /// <summary>The setpriv command line that runs a program as the user (a launcher for <c>CliTool.RunAsync</c>).</summary>
    public static async Task<IReadOnlyList<string>> LauncherAsync()
    {
        var (uid, gid) = await EnsureAsync();
        return [Peer.Require("setpriv"), $"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--"];
    }

    /// <summary>A directory the user owns, inside <paramref name="parent"/>.</summary>
    public static async Task<string> OwnedDirectoryAsync(string parent, string name)
    {
        var (uid, gid) = await EnsureAsync();
        var path = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        await Peer.RunAsync("chown", [$"{uid}:{gid}", path]);
        return path;
    }

    /// <summary>Runs <paramref name="program"/> (a full path, or a peer's name) as the user; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, string home)
    {
        var (uid, gid) = await EnsureAsync();
        var executable = Path.IsPathRooted(program) ? program : Peer.Require(program);
        return await Peer.TryRunAsync("setpriv", [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", executable, .. args],
            new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home, ["TMPDIR"] = home });
    }
}
