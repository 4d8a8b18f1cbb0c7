namespace Dockerless.Build.Publishing;

/// <summary>The ENTRYPOINT and CMD an image gets.</summary>
public sealed record ContainerCommand(IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd);

/// <summary>What the project says about how the app starts (the SDK's items of the same names).</summary>
public sealed record CommandSettings
{
    /// <summary>ContainerEntrypoint (the older way to set the entrypoint).</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>ContainerEntrypointArgs.</summary>
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];

    /// <summary>ContainerAppCommand: <c>dotnet /app/App.dll</c>, or the apphost when self-contained.</summary>
    public IReadOnlyList<string> AppCommand { get; init; } = [];

    /// <summary>ContainerAppCommandArgs: arguments the app always gets.</summary>
    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];

    /// <summary>ContainerAppCommandInstruction: Entrypoint, DefaultArgs or None (empty: chosen as the SDK chooses).</summary>
    public string AppCommandInstruction { get; init; } = "";

    /// <summary>ContainerDefaultArgs: arguments a <c>docker run IMAGE ARGS</c> replaces.</summary>
    public IReadOnlyList<string> DefaultArgs { get; init; } = [];

    /// <summary>
    /// The image's ENTRYPOINT and CMD, by the SDK's rules: the app command is the entrypoint
    /// (Entrypoint), or the first words of CMD after the base's entrypoint (DefaultArgs), or not
    /// used (None). A base entrypoint of <c>dotnet</c> alone is dropped.
    /// </summary>
    /// <exception cref="ContainerSettingsException">The items contradict each other (DLB0010).</exception>
    public ContainerCommand Resolve(IReadOnlyList<string>? baseEntrypoint, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        IReadOnlyList<string> entrypoint = Entrypoint, entrypointArgs = EntrypointArgs, cmd = DefaultArgs, appCommand = AppCommand;
        IReadOnlyList<string> inherited = baseEntrypoint is [var only] && only is "dotnet" or "/usr/bin/dotnet" ? [] : baseEntrypoint ?? [];
        var setsEntrypoint = entrypoint.Count > 0 || entrypointArgs.Count > 0;
        var instruction = AppCommandInstruction;
        if (instruction.Length == 0)
        {
            if (setsEntrypoint && cmd.Count == 0 && AppCommandArgs.Count == 0 && entrypoint.Count == 0)
            {
                // ContainerEntrypointArgs alone, from before AppCommand existed: the app command is the entrypoint, the arguments its CMD.
                (entrypoint, cmd, entrypointArgs, appCommand, instruction) = (appCommand, entrypointArgs, [], [], "None");
            }
            else if (setsEntrypoint)
            {
                instruction = "DefaultArgs";
            }
            else
            {
                if (inherited.Count > 0) warn($"The base image's ENTRYPOINT [{string.Join(", ", inherited)}] is replaced by the app command; set ContainerAppCommandInstruction=DefaultArgs to keep it.");
                instruction = "Entrypoint";
            }
        }
        if (entrypointArgs.Count > 0 && entrypoint.Count == 0) throw new ContainerSettingsException("ContainerEntrypointArgs is set but ContainerEntrypoint is not");
        if (AppCommandArgs.Count > 0 && appCommand.Count == 0) throw new ContainerSettingsException("ContainerAppCommandArgs is set but ContainerAppCommand is empty");
        switch (instruction)
        {
            case "None":
                if (appCommand.Count > 0 || AppCommandArgs.Count > 0) throw new ContainerSettingsException("ContainerAppCommand is set but ContainerAppCommandInstruction is None, which does not use it");
                break;
            case "DefaultArgs":
                cmd = [.. appCommand, .. AppCommandArgs, .. cmd];
                break;
            case "Entrypoint":
                if (setsEntrypoint) throw new ContainerSettingsException("ContainerEntrypoint is set and ContainerAppCommandInstruction is Entrypoint: the app command would replace it; use DefaultArgs or None");
                entrypoint = appCommand;
                entrypointArgs = AppCommandArgs;
                break;
            default:
                throw new ContainerSettingsException($"ContainerAppCommandInstruction '{instruction}' is not one of Entrypoint, DefaultArgs, None");
        }
        IReadOnlyList<string> finalEntrypoint = entrypoint.Count > 0 ? [.. entrypoint, .. entrypointArgs] : inherited;
        return new ContainerCommand(finalEntrypoint.Count > 0 ? finalEntrypoint : null, cmd.Count > 0 ? cmd : null);
    }
}
