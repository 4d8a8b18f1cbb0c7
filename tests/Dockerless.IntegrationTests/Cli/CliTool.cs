using System.Diagnostics;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>What one run of the tool gave.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>Runs the real built tool (<c>dotnet Dockerless.Cli.dll</c>, the <c>dockerless</c> command) as a process.</summary>
public static class CliTool
{
    /// <summary>The tool's dll, built beside the tests in the same configuration.</summary>
    public static string DllPath { get; } = FindDll();

    /// <summary>The dotnet host running the tests, by full path (tests change PATH).</summary>
    public static string DotnetPath { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
        : "/usr/bin/dotnet";

    /// <summary>The build configuration of the tests, and so of the tool they run (Debug or Release).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The repository's root (where Dockerless.slnx is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// Runs the tool to its end; <paramref name="whileRunning"/>, if given, acts on the running
    /// process meanwhile. <paramref name="launcher"/> (a program and its arguments, such as
    /// setpriv dropping to another user) runs the tool when given.
    /// </summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? stdin = null, string? workingDirectory = null, Func<Process, Task>? whileRunning = null, IReadOnlyList<string>? launcher = null)
    {
        var info = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (launcher is { Count: > 0 })
        {
            foreach (var arg in launcher.Skip(1)) info.ArgumentList.Add(arg);
            info.ArgumentList.Add(DotnetPath);
        }
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        if (whileRunning is not null)
        {
            try
            {
                await whileRunning(process);
            }
            catch
            {
                // The test failed while the tool runs (it may wait for something that now never
                // comes, like a container waiting for a file): end it rather than leave it running.
                try { process.Kill(entireProcessTree: true); }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
                await process.WaitForExitAsync();
                throw;
            }
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dockerless {string.Join(' ', args)} did not finish in time");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>Runs the tool and fails the test with its output unless it exits 0.</summary>
    public static async Task<CliResult> SucceedAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? stdin = null)
    {
        var result = await RunAsync(args, environment, stdin);
        Assert.True(result.ExitCode == 0, $"dockerless {string.Join(' ', args)}: {result}");
        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dockerless.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Dockerless.slnx above {AppContext.BaseDirectory}");
    }

    private static string FindDll()
    {
        // tests/Dockerless.IntegrationTests/bin/<Configuration>/net10.0/ -> src/Dockerless.Cli/bin/<Configuration>/net10.0/
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(FindRoot(), "src", "Dockerless.Cli", "bin", framework.Parent!.Name, framework.Name, "Dockerless.Cli.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"the tool is not built: {dll} is missing (dotnet build Dockerless.slnx)");
    }
}
