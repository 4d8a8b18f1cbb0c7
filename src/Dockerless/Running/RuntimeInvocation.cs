using System.Diagnostics;

namespace Dockerless.Running;

/// <summary>
/// The command lines of one container's runtime: every call names the bundle's state directory
/// (<c>--root</c>) and JSON log. crun 1.8 refuses to run at all on a hybrid cgroup host whose
/// unified hierarchy holds a controller ("cgroups in hybrid mode not supported"); there each crun
/// call runs in a mount namespace of its own (a user namespace too when rootless, with the caller
/// as its root) where an empty tmpfs hides <c>/sys/fs/cgroup/unified</c>, so crun sees cgroup v1
/// alone, as runc and docker use it. The host's mounts are untouched.
/// </summary>
internal sealed class RuntimeInvocation
{
    private const string HideUnified = "mount -t tmpfs tmpfs /sys/fs/cgroup/unified && exec \"$0\" \"$@\"";

    private readonly OciRuntime _runtime;
    private readonly Bundle _bundle;
    private readonly string[]? _wrapper;

    public RuntimeInvocation(OciRuntime runtime, Bundle bundle, bool rootless)
    {
        _runtime = runtime;
        _bundle = bundle;
        if (runtime.IsCrun && UnifiedHierarchyHoldsControllers())
        {
            _wrapper = rootless
                ? ["--user", "--map-root-user", "--mount", "--propagation", "private", "--", "sh", "-c", HideUnified]
                : ["--mount", "--propagation", "private", "--", "sh", "-c", HideUnified];
        }
    }

    /// <summary>
    /// True when the runtime runs in a user namespace of its own whose root is the caller: a rootless
    /// container's mappings then name that root (0), not the caller's id, and take no ranges.
    /// </summary>
    public bool InOwnUserNamespace => _wrapper is not null && _wrapper[0] == "--user";

    public string Executable => _wrapper is null ? _runtime.Executable : "unshare";

    /// <summary>
    /// <c>runtime run</c> in a session of its own (setsid, which execs it in place): a Ctrl+C at the
    /// terminal then reaches this process alone, which forwards it once, where the runtime, in
    /// the same process group, would get it too and forward it a second time. With a terminal the
    /// runtime keeps this session: its terminal turns Ctrl+C into a byte for the container.
    /// </summary>
    public (string Executable, List<string> Arguments) RunCommand(bool terminal, params string[] command)
    {
        var arguments = Arguments(command);
        if (terminal || !File.Exists(SetSid)) return (Executable, arguments);
        arguments.Insert(0, Executable);
        return (SetSid, arguments);
    }

    private const string SetSid = "/usr/bin/setsid";

    /// <summary>The arguments for the runtime command <paramref name="command"/> (run, kill, delete).</summary>
    public List<string> Arguments(params string[] command)
    {
        List<string> arguments = _wrapper is null ? [] : [.. _wrapper, _runtime.Executable];
        arguments.AddRange([$"--root={_bundle.StateDirectory}", $"--log={_bundle.LogFile}", "--log-format=json"]);
        arguments.AddRange(command);
        return arguments;
    }

    /// <summary>Runs a short runtime command (kill, delete) to its end; its failure is only reported by the exit code.</summary>
    public async Task<int> ExecAsync(params string[] command)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(command)) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await drain.ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Whether the state of the container is still there (the runtime removes it when a run ends by itself).</summary>
    public bool HasState => Directory.Exists(Path.Combine(_bundle.StateDirectory, _bundle.Id));

    private static bool UnifiedHierarchyHoldsControllers()
    {
        try
        {
            return File.ReadAllText("/sys/fs/cgroup/unified/cgroup.controllers").Trim().Length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
