using System.Text.RegularExpressions;
using Dockerless.Building.RunSteps;

namespace Dockerless.Building;

/// <summary>RUN: its command as BuildKit makes it, taken from the step cache or run by the <see cref="IRunExecutor"/>.</summary>
internal sealed partial class StageBuilder
{
    private async Task RunAsync(RunInstruction run, Instruction place, CancellationToken cancellationToken)
    {
        var (command, scripts) = RunCommandOf(run.Command);
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
        // The ARGs with a value go over the ENV of their name, as BuildKit runs the command.
        var env = _image.Config.Env.ToList();
        foreach (var (name, value) in _variables.Args) SetEnv(env, name, value);
        var work = Path.Combine(session.CacheDirectory, "run", Guid.NewGuid().ToString("N"));
        var step = new RunStep
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
            Heredocs = scripts,
            Secrets = session.Options.Secrets,
            WorkDirectory = work,
            CacheDirectory = session.CacheDirectory,
            Platform = _image.Platform,
            FileName = session.FileName,
            Line = place.StartLine,
        };
        // BuildKit names the stage's ARGs before its command: RUN |2 A=1 B=2 /bin/sh -c ...
        var declared = _variables.DeclaredArgs.ToList();
        var prefix = declared.Count == 0 ? "" : $"|{declared.Count} {string.Join(' ', declared)} ";
        var createdBy = $"RUN {prefix}{string.Join(' ', command)} # buildkit";

        var key = await RunStepKey.ComputeAsync(step, session.LayerOptions, cancellationToken).ConfigureAwait(false);
        if (!session.Options.NoCache && await session.Cache.TryLoadStepAsync(key, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            _stepCached = true;
            AddLayer(stored, createdBy);
            return;
        }

        var executor = session.Options.RunExecutor ?? new OciRunExecutor();
        Directory.CreateDirectory(work);
        try
        {
            // A RUN that changed nothing still gets its (empty) layer, as docker's BuildKit gives it.
            var changes = await executor.RunAsync(step, cancellationToken).ConfigureAwait(false) ?? _image.NewLayerBuilder();
            var (layer, _) = await session.Cache.BuildAsync(changes, session.LayerOptions, useStored: true, cancellationToken).ConfigureAwait(false);
            await session.Cache.StoreStepAsync(key, layer, cancellationToken).ConfigureAwait(false);
            AddLayer(layer, createdBy);
        }
        finally
        {
            RemoveWorkDirectory(work);
        }
    }

    /// <summary>
    /// The process's arguments and the scripts it runs, as BuildKit's frontend makes them: an exec
    /// form as written; a shell form through SHELL; a RUN that is one heredoc alone runs its body
    /// (a body starting with <c>#!</c> as a script file at <c>/dev/pipes/NAME</c>); other heredocs
    /// are handed to the shell with the command.
    /// </summary>
    private (IReadOnlyList<string> Command, IReadOnlyList<Heredoc> Scripts) RunCommandOf(CommandLine command)
    {
        if (!command.IsShellForm || command.Heredocs.Count == 0) return (CommandOf(command), []);
        var shell = _image.Config.Shell is { Count: > 0 } set ? set : ["/bin/sh", "-c"];
        var text = command.Arguments[0];
        if (HeredocAlone().IsMatch(text))
        {
            var heredoc = command.Heredocs[0];
            return heredoc.Content.StartsWith("#!", StringComparison.Ordinal)
                ? ([.. shell, "/dev/pipes/" + heredoc.Name], [heredoc])
                : ([.. shell, heredoc.Body], []);
        }
        return ([.. shell, text + string.Concat(command.Heredocs.Select(h => "\n" + h.Content + h.Name))], []);
    }

    /// <summary>BuildKit's test for a command that is a heredoc and nothing else (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-"EOF"</c>).</summary>
    [GeneratedRegex("^<<(-?)\\s*([^<]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HeredocAlone();

    private static void RemoveWorkDirectory(string work)
    {
        try
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the command made that its owner cannot remove (rootless): left for the next clean-up.
        }
    }
}
