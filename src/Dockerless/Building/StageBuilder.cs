using System.Diagnostics;

namespace Dockerless.Building;

/// <summary>
/// Builds one stage: opens its base (scratch, an earlier stage, or an image read lazily), runs
/// the base's ONBUILD triggers, then each instruction in order, as BuildKit's Dockerfile frontend
/// dispatches them, with history entries as BuildKit writes them.
/// </summary>
internal sealed partial class StageBuilder(BuildSession session, BuildStage stage)
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly StageVariables _variables = new();
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private Image _image = null!;
    private bool _cmdSet;
    private int _step;
    private int _steps;
    private bool _stepCached;

    private string StageName => stage.Name ?? $"stage-{stage.Index}";

    public async Task<StageResult> BuildAsync(CancellationToken cancellationToken)
    {
        _steps = stage.Instructions.Count + 1;
        await StepAsync(stage.From, () => OpenBaseAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var instruction in stage.Instructions)
        {
            await StepAsync(instruction, () => DispatchAsync(instruction, cancellationToken)).ConfigureAwait(false);
        }
        _image.Created = session.Timestamp;
        return new StageResult(_image, _directories);
    }

    /// <summary>Runs one step with its progress: started, then done (or failed) with its time.</summary>
    private async Task StepAsync(Instruction instruction, Func<Task> step)
    {
        var number = ++_step;
        var text = instruction.ToString();
        session.Options.Progress?.Report(new BuildStepProgress(StageName, number, _steps, text, BuildStepState.Started, TimeSpan.Zero, session.Platform));
        var clock = Stopwatch.StartNew();
        _stepCached = false;
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            session.Options.Progress?.Report(new BuildStepProgress(StageName, number, _steps, text, BuildStepState.Failed, clock.Elapsed, session.Platform));
            if (e is DockerfileBuildException or DockerfileSyntaxException) throw;
            throw session.Fault(instruction, e.Message, e);
        }
        session.Options.Progress?.Report(new BuildStepProgress(StageName, number, _steps, text, _stepCached ? BuildStepState.Cached : BuildStepState.Done, clock.Elapsed, session.Platform));
    }

    private async Task OpenBaseAsync(CancellationToken cancellationToken)
    {
        var from = stage.From;
        var name = session.Expand(from.BaseName, session.GlobalArgs, from);
        if (name.Length == 0) throw session.Fault(from, "base name (" + from.BaseName + ") should not be blank");
        var platform = from.Platform is null ? session.Platform : ParsePlatform(session.Expand(from.Platform, session.GlobalArgs, from), from);
        if (name.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            _image = Image.Scratch("", "", platform);
            _image.Config.Env = [DefaultPath];
            _image.Config.WorkingDir = "/";
        }
        else if (StageGraph.EarlierStage(session, stage, name) is { } earlier)
        {
            var parent = await session.Stage(earlier.Index, cancellationToken).ConfigureAwait(false);
            _image = Copy(parent.Image);
            _directories.UnionWith(parent.Directories);
        }
        else
        {
            _image = Copy(await OpenImageAsync(name, platform, from, cancellationToken).ConfigureAwait(false));
        }
        _variables.SetBaseEnv(_image.Config.Env);
        await RunTriggersAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Image> OpenImageAsync(string name, Platform platform, Instruction instruction, CancellationToken cancellationToken)
    {
        try
        {
            return await session.ExternalImage(name, platform, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerlessException or HttpRequestException or IOException)
        {
            throw session.Fault(instruction, $"{name}: {e.Message}", e);
        }
    }

    private Platform ParsePlatform(string text, Instruction instruction)
    {
        try
        {
            return Platform.Parse(text);
        }
        catch (FormatException e)
        {
            throw session.Fault(instruction, e.Message, e);
        }
    }

    /// <summary>A new image with <paramref name="source"/>'s config and layers: a stage changes its own copy, never its base.</summary>
    private static Image Copy(Image source)
    {
        var image = Image.FromParts(source.GetConfigBytes(), [.. source.Layers], source.ToString());
        image.Name = "";
        image.Tags.Clear();
        return image;
    }

    /// <summary>The base's ONBUILD triggers, run as this stage's first instructions (then cleared, as BuildKit does).</summary>
    private async Task RunTriggersAsync(CancellationToken cancellationToken)
    {
        if (_image.Config.OnBuild is not { Count: > 0 } triggers) return;
        var texts = triggers.ToList();
        _image.Config.OnBuild = null;
        foreach (var text in texts)
        {
            Instruction trigger;
            try
            {
                var parsed = DockerfileParser.Parse(text, session.FileName);
                trigger = InstructionParser.Parse(parsed.Nodes[0], session.FileName);
            }
            catch (DockerfileSyntaxException e)
            {
                throw session.Fault(stage.From, $"ONBUILD trigger \"{text}\": {e.Reason}", e);
            }
            await DispatchAsync(new PlacedInstruction(trigger, stage.From), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DispatchAsync(Instruction instruction, CancellationToken cancellationToken) => DispatchAsync(new PlacedInstruction(instruction, instruction), cancellationToken);

    private async Task DispatchAsync(PlacedInstruction placed, CancellationToken cancellationToken)
    {
        switch (placed.Instruction)
        {
            case CopyInstruction copy:
                await CopyAsync(copy, placed.Place, cancellationToken).ConfigureAwait(false);
                break;
            case AddInstruction add:
                await AddAsync(add, placed.Place, cancellationToken).ConfigureAwait(false);
                break;
            case WorkdirInstruction workdir:
                await WorkdirAsync(workdir, placed.Place, cancellationToken).ConfigureAwait(false);
                break;
            case RunInstruction run:
                await RunAsync(run, placed.Place, cancellationToken).ConfigureAwait(false);
                break;
            default:
                ApplyConfig(placed.Instruction, placed.Place);
                break;
        }
    }

    /// <summary>Adds a history entry for a step that made no layer.</summary>
    private void ConfigHistory(string createdBy) => _image.History.Add(History(createdBy, emptyLayer: true));

    private HistoryEntry History(string createdBy, bool emptyLayer) => new()
    {
        Created = session.Timestamp,
        CreatedBy = createdBy,
        Comment = HistoryText.Comment,
        EmptyLayer = emptyLayer,
    };

    /// <summary>Puts a new layer on the stage with its history entry.</summary>
    private void AddLayer(Layer layer, string createdBy)
    {
        session.Track(layer);
        _image.AddLayer(layer, History(createdBy, emptyLayer: false));
    }

    /// <summary>Builds the layer <paramref name="builder"/> holds, or takes it from the step cache, and puts it on the stage.</summary>
    private async Task AddLayerAsync(LayerBuilder builder, string createdBy, CancellationToken cancellationToken)
    {
        var (layer, cached) = await session.Cache.BuildAsync(builder, session.LayerOptions, !session.Options.NoCache, cancellationToken).ConfigureAwait(false);
        _stepCached |= cached;
        AddLayer(layer, createdBy);
    }

    /// <summary>An instruction and the one whose line its faults name (an ONBUILD trigger's are the FROM's).</summary>
    private sealed record PlacedInstruction(Instruction Instruction, Instruction Place);
}
