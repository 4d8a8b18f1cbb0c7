using System.CommandLine;
using Dockerless.Running;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless run SRC [OPTIONS] [-- CMD...]</c>: runs the image with an OCI runtime (runc,
/// crun) by itself, or in docker or podman, streams its output and exits with the container's
/// exit code (125 when dockerless itself fails, 126 and 127 when the command cannot be run, as
/// docker does). The first SIGINT or SIGTERM is forwarded to the container; a second one kills it.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var commandLine = new Argument<string[]>("CMD") { Description = "The command to run (after --); the image's Entrypoint and Cmd when absent", Arity = ArgumentArity.ZeroOrMore };
        var runtime = new Option<string?>("--runtime") { Description = "Run with this OCI runtime, without any engine: runc, crun or the path of one", HelpName = "RUNTIME" };
        var engine = new Option<string?>("--engine") { Description = "Run in this engine (default: docker or podman when found, else runc or crun by themselves)" };
        engine.AcceptOnlyFromAmong([.. ContainerEngine.KnownEngines]);
        var network = new Option<string>("--network") { Description = "The container's network: none (its own, empty) or host", HelpName = "MODE", DefaultValueFactory = _ => "none" };
        var keep = new Option<bool>("--keep") { Description = "Keep what the run made: the bundle (with a runtime) or the container and loaded image (with an engine)" };
        var env = Many("--env", "-e", "Set a variable in the container (NAME=VALUE; a bare NAME takes this environment's value)", "NAME[=VALUE]");
        var envFile = Many("--env-file", null, "Read variables from a file, one NAME=VALUE a line", "FILE");
        var volume = Many("--volume", "-v", "Mount a host path into the container (HOST:CONTAINER[:ro]); -v is --verbose before the verb", "HOST:CONTAINER[:ro]");
        var tmpfs = Many("--tmpfs", null, "Mount an empty tmpfs (PATH[:OPTIONS])", "PATH[:OPTIONS]");
        var workdir = new Option<string?>("--workdir", "-w") { Description = "The working directory (absolute), made when missing", HelpName = "DIR" };
        var user = new Option<string?>("--user", "-u") { Description = "The user: name, name:group, uid or uid:gid, looked up in the image", HelpName = "USER" };
        var entrypoint = new Option<string?>("--entrypoint") { Description = "Replace the image's Entrypoint and drop its Cmd; \"\" clears both", HelpName = "CMD" };
        var readOnly = new Option<bool>("--read-only") { Description = "Mount the root filesystem read-only" };
        var hostname = new Option<string?>("--hostname") { Description = "The container's host name", HelpName = "NAME" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Pass standard input to the container" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Give the container a terminal (this one)" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Where unpacked layers and running bundles are kept (default: ~/.cache/dockerless)", HelpName = "DIR" };
        var rootfs = new Option<RootFilesystemMode>("--rootfs") { Description = "How the root filesystem is made from the cached layers: auto (an overlay where possible), overlay or copy", HelpName = "auto|overlay|copy" };
        var platform = CommonOptions.Platform();
        var command = new Command("run", "Run an image (with runc or crun, or in docker or podman) and exit with the container's exit code")
        {
            source, commandLine, runtime, engine, network, keep, env, envFile, volume, tmpfs, workdir, user, entrypoint,
            readOnly, hostname, interactive, tty, cacheDir, rootfs, platform,
        };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            if (parse.GetValue(runtime) is not null && parse.GetValue(engine) is not null) throw new UsageException("run: give --runtime or --engine, not both");
            var environment = (parse.GetValue(envFile) ?? []).SelectMany(EnvFile.Read).Concat((parse.GetValue(env) ?? []).Select(EnvFile.Resolve)).ToList();
            var options = new RunOptions
            {
                Runtime = parse.GetValue(runtime),
                Engine = parse.GetValue(engine),
                Network = parse.GetRequiredValue(network),
                Keep = parse.GetValue(keep),
                Environment = environment,
                Mounts = [.. (parse.GetValue(volume) ?? []).Select(ParseVolume)],
                Tmpfs = parse.GetValue(tmpfs) ?? [],
                WorkingDirectory = parse.GetValue(workdir),
                User = parse.GetValue(user),
                Entrypoint = parse.GetValue(entrypoint) is { } first ? (first.Length == 0 ? [] : [first]) : null,
                ReadOnly = parse.GetValue(readOnly),
                Hostname = parse.GetValue(hostname),
                Terminal = parse.GetValue(tty),
                CacheDirectory = parse.GetValue(cacheDir),
                RootFilesystem = parse.GetValue(rootfs),
                CaptureOutput = false,
                Logger = context.Logger,
                Signals = new ContainerSignals(),
            };
            // Nothing to run it with fails before any image is fetched.
            var runner = ContainerRunner.Find(options);
            var image = await location.OpenImageAsync(CommonOptions.ParsePlatform(parse.GetValue(platform)), context.Registries, cancellationToken);
            await using (image)
            {
                var stdin = parse.GetValue(interactive) && !options.Terminal ? Console.OpenStandardInput() : null;
                var stdout = Console.OpenStandardOutput();
                var stderr = Console.OpenStandardError();
                await using (stdout)
                await using (stderr)
                {
                    options = options with { StandardInput = stdin, StandardOutput = stdout, StandardError = stderr };
                    // As docker's CLI, the first signal goes to the container (an engine's own CLI forwards it).
                    using var forwarding = runner.Runtime is null ? null : InterruptSignals.Current?.ForwardTo(signal => options.Signals!.Send(signal));
                    var result = await image.RunAsync(parse.GetValue(commandLine) ?? [], options, cancellationToken);
                    if (result.BundleDirectory is { } kept) context.Status($"run: kept the bundle in {kept}");
                    return result.ExitCode;
                }
            }
        });
        return command;
    }

    private static Option<string[]> Many(string name, string? alias, string description, string helpName)
    {
        var option = alias is null ? new Option<string[]>(name) : new Option<string[]>(name, alias);
        option.Description = description;
        option.HelpName = helpName;
        option.Arity = ArgumentArity.OneOrMore;
        option.AllowMultipleArgumentsPerToken = false;
        return option;
    }

    private static BindMount ParseVolume(string value)
    {
        try
        {
            return BindMount.Parse(value);
        }
        catch (FormatException e)
        {
            throw new UsageException($"-v: {e.Message}");
        }
    }
}
