using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless run SRC [--engine docker|podman] [--network MODE] [--keep] -- CMD...</c>: loads the
/// image into the engine, runs it, streams its output and exits with the container's exit code
/// (125 when dockerless itself fails, as docker does).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var commandLine = new Argument<string[]>("CMD") { Description = "The command to run (after --); the image's Entrypoint and Cmd when absent", Arity = ArgumentArity.ZeroOrMore };
        var engine = new Option<string?>("--engine") { Description = "The engine to run it in (default: docker if found, else podman)" };
        engine.AcceptOnlyFromAmong([.. ContainerEngine.KnownEngines]);
        var network = new Option<string>("--network") { Description = "The container's network (none, host, ...)", HelpName = "MODE", DefaultValueFactory = _ => "none" };
        var keep = new Option<bool>("--keep") { Description = "Keep the container and the loaded image afterwards" };
        var platform = CommonOptions.Platform();
        var command = new Command("run", "Run an image in docker or podman and exit with the container's exit code")
        {
            source, commandLine, engine, network, keep, platform,
        };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            // A missing engine fails before any image is fetched.
            ContainerEngine.Find(parse.GetValue(engine));
            var image = await location.OpenImageAsync(CommonOptions.ParsePlatform(parse.GetValue(platform)), context.Registries, cancellationToken);
            await using (image)
            {
                var stdout = Console.OpenStandardOutput();
                var stderr = Console.OpenStandardError();
                await using (stdout)
                await using (stderr)
                {
                    var options = new RunOptions
                    {
                        Engine = parse.GetValue(engine),
                        Network = parse.GetRequiredValue(network),
                        Keep = parse.GetValue(keep),
                        StandardOutput = stdout,
                        StandardError = stderr,
                        CaptureOutput = false,
                        Logger = context.Logger,
                    };
                    var result = await image.RunAsync(parse.GetValue(commandLine) ?? [], options, cancellationToken);
                    return result.ExitCode;
                }
            }
        });
        return command;
    }
}
