using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>The options of <c>build</c>, for both its modes.</summary>
internal sealed class BuildCommandOptions
{
    public Argument<string> Context { get; } = new("CONTEXT") { Description = "The build context: the directory COPY and ADD read (or, with --to-path or --from, the directory to put into one layer)" };

    public Option<string[]> Destinations { get; } = new("--tag", "-t")
    {
        Description = "Where to write the image (repeat for several): REF, docker://REF, docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF",
        HelpName = "DST",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> File { get; } = new("--file", "-f") { Description = "The Dockerfile (default: CONTEXT/Dockerfile)", HelpName = "FILE" };

    public Option<string?> Target { get; } = new("--target") { Description = "The stage to build (default: the last)", HelpName = "STAGE" };

    public Option<string[]> BuildArgs { get; } = ConfigFlags.Repeatable("--build-arg", "K=V", "A value for an ARG (repeatable; K alone takes this environment's K)");

    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Build every layer again instead of taking it from the step cache (~/.cache/dockerless/build)" };

    public Option<string[]> Secrets { get; } = ConfigFlags.Repeatable("--secret", "id=ID,src=FILE", "A secret RUN --mount=type=secret may mount (repeatable; never in the image)");

    public Option<string?> IidFile { get; } = new("--iidfile") { Description = "Write the image's id (its config digest; an index's digest for several platforms) to FILE", HelpName = "FILE" };

    public Option<string?> From { get; } = new("--from") { Description = "Layer mode: the base image (default: scratch)", HelpName = "SRC" };

    public Option<string?> ToPath { get; } = new("--to-path") { Description = "Layer mode: where CONTEXT goes in the image (default: /)", HelpName = "PATH" };

    public Option<string?> Platform { get; } = CommonOptions.Platform("The platform(s) to build for, os/arch[/variant][,...] (several make an index; layer mode: one, the base's)");

    public ConfigFlags Config { get; } = new();

    /// <summary>
    /// Whether this is the layer mode: a layer flag was given, or neither <c>-f</c> nor a
    /// <c>CONTEXT/Dockerfile</c> is there. A Dockerfile with a layer flag is refused: it would be ignored.
    /// </summary>
    public bool IsLayerBuild(ParseResult parse, string context)
    {
        var layerFlags = new Option[] { From, ToPath, Config.Entrypoint, Config.Cmd, Config.Env, Config.Workdir, Config.User, Config.Expose }
            .Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
        var file = parse.GetValue(File);
        if (layerFlags.Count > 0)
        {
            if (file is not null) throw new UsageException($"build: -f builds a Dockerfile; {string.Join(", ", layerFlags)} belong to the layer mode (build DIR --to-path PATH): give one or the other");
            return true;
        }
        return file is null && !System.IO.File.Exists(Path.Combine(context, "Dockerfile"));
    }
}
