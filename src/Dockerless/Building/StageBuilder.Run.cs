namespace Dockerless.Building;

/// <summary>RUN: handed to the <see cref="IRunExecutor"/>, or refused by name when there is none.</summary>
internal sealed partial class StageBuilder
{
    private async Task RunAsync(RunInstruction run, Instruction place, CancellationToken cancellationToken)
    {
        if (session.Options.RunExecutor is not { } executor)
        {
            throw session.Fault(place, "RUN needs an OCI runtime: this build has none (BuildOptions.RunExecutor); Dockerless builds Dockerfiles without RUN for now");
        }
        var command = CommandOf(run.Command);
        var mounts = run.ParseMounts(word => Expand(word, place), session.FileName);
        var sources = new Dictionary<int, IReadOnlyList<Layer>>();
        for (var i = 0; i < mounts.Count; i++)
        {
            if (mounts[i].From is not { Length: > 0 } from) continue;
            var image = StageGraph.EarlierStage(session, stage, from) is { } earlier
                ? (await session.Stage(earlier.Index, cancellationToken).ConfigureAwait(false)).Image
                : await OpenImageAsync(from, session.Platform, place, cancellationToken).ConfigureAwait(false);
            sources[i] = image.Layers;
        }
        var env = _image.Config.Env.ToList();
        var args = _variables.Args.Where(a => !env.Any(e => e.StartsWith(a.Key + "=", StringComparison.Ordinal))).ToList();
        env.AddRange(args.Select(a => $"{a.Key}={a.Value}"));
        var layer = await executor.RunAsync(new RunStep
        {
            Layers = _image.Layers,
            Command = command,
            Environment = env,
            User = _image.Config.User ?? "",
            WorkingDirectory = _image.Config.WorkingDir is { Length: > 0 } workdir ? workdir : "/",
            Mounts = mounts,
            MountSources = sources,
            ContextDirectory = session.Input.Context,
            Network = run.Network,
            Heredocs = run.Command.Heredocs,
            Platform = _image.Platform,
            Timestamp = session.Timestamp,
            FileName = session.FileName,
            Line = place.StartLine,
        }, cancellationToken).ConfigureAwait(false);
        // BuildKit names the ARGs a RUN saw before its command: RUN |2 A=1 B=2 /bin/sh -c ...
        var prefix = args.Count == 0 ? "" : $"|{args.Count} {string.Join(' ', args.Select(a => $"{a.Key}={a.Value}"))} ";
        var createdBy = $"RUN {prefix}{string.Join(' ', command)} # buildkit";
        if (layer is null) ConfigHistory(createdBy);
        else AddLayer(layer, createdBy);
    }
}
