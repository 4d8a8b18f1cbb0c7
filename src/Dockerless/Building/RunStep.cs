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

    /// <summary>Scripts to place at <c>/dev/pipes/NAME</c> (mode 0755) for the command to run: a heredoc that starts with <c>#!</c>, as BuildKit runs one.</summary>
    public required IReadOnlyList<Heredoc> Heredocs { get; init; }

    /// <summary>The secrets <c>--mount=type=secret</c> may mount: id to host file (<see cref="BuildOptions.Secrets"/>).</summary>
    public required IReadOnlyDictionary<string, string> Secrets { get; init; }

    /// <summary>An empty directory of this run's own, on the build cache's filesystem, for the root filesystem and what the run needs; the builder removes it after it built the layer.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The build's cache directory: cache mounts keep their directories under it.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The platform the stage is built for: a runtime refuses one it cannot run.</summary>
    public required Platform Platform { get; init; }

    /// <summary>The Dockerfile's name, for errors.</summary>
    public required string FileName { get; init; }

    /// <summary>The RUN's line, for errors.</summary>
    public required int Line { get; init; }
}
