namespace Dockerless.Building;

/// <summary>One RUN for an <see cref="IRunExecutor"/>: where to run it and what.</summary>
public sealed record RunStep
{
    /// <summary>The stage's root filesystem: its layers, base first (apply them in order, whiteouts included).</summary>
    public required IReadOnlyList<Layer> Layers { get; init; }

    /// <summary>The process's arguments: an exec form as written, a shell form after the stage's SHELL (<c>/bin/sh -c "..."</c>).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The environment as <c>NAME=value</c>: the stage's ENV, then the ARGs in scope that ENV does not set.</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>The user (USER as written: name, uid, <c>uid:gid</c>); empty for root.</summary>
    public required string User { get; init; }

    /// <summary>The working directory, absolute.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The <c>--mount</c>s, read and expanded.</summary>
    public required IReadOnlyList<RunMount> Mounts { get; init; }

    /// <summary>For each mount with a <c>from=</c> stage or image, that filesystem's layers, by the mount's position in <see cref="Mounts"/>.</summary>
    public required IReadOnlyDictionary<int, IReadOnlyList<Layer>> MountSources { get; init; }

    /// <summary>The build context directory, for bind mounts without <c>from=</c>.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The <c>--network</c> mode: <c>default</c>, <c>none</c> or <c>host</c>.</summary>
    public required string Network { get; init; }

    /// <summary>The heredocs the shell form's command reads (file descriptor 0 or the one written).</summary>
    public required IReadOnlyList<Heredoc> Heredocs { get; init; }

    /// <summary>The platform the stage is built for: a runtime refuses one it cannot run.</summary>
    public required Platform Platform { get; init; }

    /// <summary>The time for files the step writes (SOURCE_DATE_EPOCH).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The Dockerfile's name, for errors.</summary>
    public required string FileName { get; init; }

    /// <summary>The RUN's line, for errors.</summary>
    public required int Line { get; init; }
}
