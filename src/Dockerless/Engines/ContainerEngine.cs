using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Engines;

/// <summary>
/// A container engine driven through its own CLI: <c>docker</c> (which honours DOCKER_HOST and
/// DOCKER_CONFIG, as it reads them from the environment it inherits) or <c>podman</c>. Loads
/// docker-archives into it, saves images out of it and runs containers.
/// </summary>
public sealed class ContainerEngine
{
    /// <summary>The engines looked for, in order, when none is named.</summary>
    public static IReadOnlyList<string> KnownEngines { get; } = ["docker", "podman"];

    private ContainerEngine(string name, string executable)
    {
        Name = name;
        Executable = executable;
    }

    /// <summary>The engine's name: <c>docker</c> or <c>podman</c>.</summary>
    public string Name { get; }

    /// <summary>The full path of the engine's CLI.</summary>
    public string Executable { get; }

    private bool IsPodman => Name == "podman";

    /// <summary>
    /// Finds <paramref name="name"/> (<c>docker</c> or <c>podman</c>) on PATH, or the first of
    /// <see cref="KnownEngines"/> when null; throws <see cref="EngineNotFoundException"/> naming
    /// what was looked for.
    /// </summary>
    public static ContainerEngine Find(string? name = null)
    {
        if (name is not null && !KnownEngines.Contains(name))
        {
            throw new ArgumentException($"unknown engine \"{name}\": expected one of {string.Join(", ", KnownEngines)}", nameof(name));
        }
        IReadOnlyList<string> candidates = name is null ? KnownEngines : [name];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in candidates)
        {
            foreach (var dir in path)
            {
                var file = Path.Combine(dir, candidate);
                if (File.Exists(file)) return new ContainerEngine(candidate, file);
            }
        }
        throw new EngineNotFoundException(candidates);
    }

    /// <summary>Loads a docker-archive file (<c>docker load</c>, its bytes streamed on standard input).</summary>
    public async Task LoadAsync(string archivePath, CancellationToken cancellationToken = default)
    {
        var input = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        await using (input.ConfigureAwait(false))
        {
            await ExecAsync(["load"], input, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Saves <paramref name="reference"/> from the engine as a docker-archive at <paramref name="path"/> (<c>docker save</c>).</summary>
    public async Task SaveAsync(string reference, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var temporary = path + ".dockerless-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await ExecAsync(["save", "-o", temporary, reference], null, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>True when the engine holds an image with this id or name.</summary>
    public async Task<bool> HasImageAsync(string reference, CancellationToken cancellationToken = default)
    {
        var (exitCode, _, _) = await RunProcessAsync(["image", "inspect", "--format", "{{.Id}}", reference], null, cancellationToken).ConfigureAwait(false);
        return exitCode == 0;
    }

    /// <summary>
    /// The names the engine gives the image with this id or name (its RepoTags, then its
    /// RepoDigests); empty when it has none (an untagged image), null when the engine has no such image.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ImageNamesAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        // One JSON array a line: docker and podman both print a nil list as "null" and names never hold a newline.
        var (exitCode, output, _) = await RunProcessAsync(["image", "inspect", "--format", "{{json .RepoTags}}\n{{json .RepoDigests}}", reference], null, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0) return null;
        var names = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                names.AddRange(JsonSerializer.Deserialize(line, EngineJsonContext.Default.StringArray) ?? []);
            }
            catch (JsonException e)
            {
                throw new EngineCommandException($"{Name} image inspect", exitCode, $"unexpected output \"{line}\": {e.Message}");
            }
        }
        return names;
    }

    /// <summary>Gives the image <paramref name="image"/> (an id or name) the further name <paramref name="name"/> (<c>docker tag</c>).</summary>
    public Task TagAsync(string image, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return ExecAsync(["tag", image, name], null, cancellationToken);
    }

    /// <summary>
    /// Removes <paramref name="reference"/> from the engine without force (<c>docker rmi</c>): a name
    /// is untagged, and the engine deletes the image only when nothing else names or uses it. Never
    /// forced, because <c>rmi -f</c> deletes an image other names and containers still use (podman
    /// even removes those containers).
    /// </summary>
    public Task RemoveImageAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return ExecAsync(["rmi", reference], null, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="image"/> (already in the engine) with <paramref name="command"/> (the
    /// image's own Entrypoint and Cmd when empty), streaming its output, and returns its exit code.
    /// The options become the engine's own flags (<c>-e</c>, <c>-v</c>, <c>--tmpfs</c>, <c>-w</c>,
    /// <c>-u</c>, <c>--entrypoint</c>, <c>--read-only</c>, <c>--hostname</c>, <c>-i</c>, <c>-t</c>);
    /// signals sent through <see cref="RunOptions.Signals"/> reach the container (<c>docker kill
    /// --signal</c>). A cancelled run kills the container.
    /// </summary>
    public async Task<RunResult> RunAsync(string image, IEnumerable<string> command, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var name = "dockerless-" + Guid.NewGuid().ToString("N")[..12];
        var args = new List<string>();
        // podman on this kind of machine needs runc and explicit ulimits (shared/PEERS.md).
        if (IsPodman) args.AddRange(["--runtime", "runc"]);
        args.AddRange(["run", "--name", name, "--network", options.Network]);
        // podman 4.3's --rm races its own exit-code lookup under load ("no such exit code"):
        // with podman the container is removed after it exits instead.
        var removeAfterExit = !options.Keep && IsPodman;
        if (!options.Keep && !IsPodman) args.Add("--rm");
        if (IsPodman)
        {
            var files = OutputPump.HardOpenFilesLimit();
            args.AddRange(["--ulimit", $"nofile={files}:{files}", "--ulimit", "nproc=4096:4096"]);
        }
        var arguments = command.ToList();
        args.AddRange(RunFlags(options, arguments));
        args.Add(image);
        args.AddRange(arguments);

        AttachedProcess process;
        try
        {
            process = AttachedProcess.Start(Executable, args, options);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EngineCommandException($"{Name} run", -1, e.Message);
        }
        using (process)
        using (options.Signals?.Attach(signal => _ = RunProcessAsync(["kill", "--signal", signal.ToString(CultureInfo.InvariantCulture), name], null, CancellationToken.None)))
        {
            // Killing the CLI does not stop the container: remove (or, with Keep, stop) it by name.
            var exitCode = await process.WaitAsync(
                () => RunProcessAsync(options.Keep ? ["kill", name] : ["rm", "-f", name], null, CancellationToken.None),
                cancellationToken).ConfigureAwait(false);
            if (removeAfterExit) await RunProcessAsync(["rm", "-f", name], null, CancellationToken.None).ConfigureAwait(false);
            return new RunResult(exitCode, process.Output);
        }
    }

    /// <summary>
    /// docker's flags for the options. docker's <c>--entrypoint</c> takes one word: the rest of a
    /// longer entrypoint goes before the command (the image's Cmd is dropped either way).
    /// </summary>
    private static List<string> RunFlags(RunOptions options, List<string> command)
    {
        var flags = new List<string>();
        flags.AddRange(options.Environment.Select(variable => $"--env={variable}"));
        flags.AddRange(options.Mounts.Select(mount => $"--volume={mount.Source}:{mount.Destination}{(mount.ReadOnly ? ":ro" : "")}"));
        flags.AddRange(options.Tmpfs.Select(tmpfs => $"--tmpfs={tmpfs}"));
        if (options.WorkingDirectory is { } directory) flags.Add($"--workdir={directory}");
        if (options.User is { } user) flags.Add($"--user={user}");
        if (options.Entrypoint is { } entrypoint)
        {
            flags.Add($"--entrypoint={(entrypoint.Count > 0 ? entrypoint[0] : "")}");
            command.InsertRange(0, entrypoint.Skip(1));
        }
        if (options.ReadOnly) flags.Add("--read-only");
        if (options.Hostname is { } hostname) flags.Add($"--hostname={hostname}");
        if (options.StandardInput is not null || options.Terminal) flags.Add("--interactive");
        if (options.Terminal) flags.Add("--tty");
        return flags;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Executable})";

    private async Task ExecAsync(IReadOnlyList<string> args, Stream? input, CancellationToken cancellationToken)
    {
        var (exitCode, _, error) = await RunProcessAsync(args, input, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new EngineCommandException($"{Name} {string.Join(' ', args)}", exitCode, error.Trim().ReplaceLineEndings(" "));
        }
    }

    private async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(IReadOnlyList<string> args, Stream? input, CancellationToken cancellationToken)
    {
        using var process = Start(args, redirectInput: input is not null);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (input is not null)
            {
                var stdin = process.StandardInput.BaseStream;
                await input.CopyToAsync(stdin, 1 << 20, cancellationToken).ConfigureAwait(false);
                await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            if (e is OperationCanceledException) throw;
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw new EngineCommandException($"{Name} {string.Join(' ', args)}", process.ExitCode, (await stderr.ConfigureAwait(false)).Trim().ReplaceLineEndings(" "));
        }
    }

    private Process Start(IReadOnlyList<string> args, bool redirectInput)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        try
        {
            return Process.Start(info) ?? throw new EngineCommandException($"{Name} {args[0]}", -1, "the process did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EngineCommandException($"{Name} {args[0]}", -1, e.Message);
        }
    }
}

/// <summary>The source-generated JSON reader of <c>image inspect</c>'s name lists (trimming and AOT safe).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
