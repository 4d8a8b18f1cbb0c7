using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless build [-f FILE] [-t DST]... [--target S] [--build-arg K=V]... [--platform P[,P]] [--no-cache] [--iidfile F] CONTEXT</c>:
/// a Dockerfile build, as <c>docker build</c> takes it; or, when CONTEXT holds no Dockerfile and
/// no <c>-f</c> is given, or a layer flag (<c>--from</c>, <c>--to-path</c>, a config flag) is, CONTEXT
/// put into one layer on a base.
/// </summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var options = new BuildCommandOptions();
        var command = new Command("build", "Build an image from a Dockerfile and a context directory, as docker build does (or put DIR into one layer on a base: --to-path, --from)")
        {
            options.Context, options.Destinations, options.File, options.Target, options.BuildArgs, options.NoCache, options.IidFile, options.Secrets,
            options.From, options.ToPath, options.Platform,
        };
        options.Config.AddTo(command);
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var directory = CommonOptions.NonEmptyPath(parse.GetRequiredValue(options.Context), "build", "CONTEXT", "the build context directory");
            if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"build: {directory}: no such directory");
            var destinations = parse.GetRequiredValue(options.Destinations).Select(CommonOptions.DestinationLocation).ToList();
            if (options.IsLayerBuild(parse, directory)) await LayerBuild.RunAsync(context, parse, options, directory, destinations, cancellationToken);
            else await DockerfileBuild.RunAsync(context, parse, options, directory, destinations, cancellationToken);
        });
        return command;
    }
}
