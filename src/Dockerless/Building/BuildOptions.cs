namespace Dockerless.Building;

/// <summary>What <see cref="DockerfileBuilder"/> builds and how, as <c>docker build</c>'s flags say it.</summary>
public sealed record BuildOptions
{
    /// <summary>The stage to build (<c>--target</c>, a name or index); null builds the last stage.</summary>
    public string? Target { get; init; }

    /// <summary>Values for the Dockerfile's ARGs (<c>--build-arg</c>); they override the defaults of declared ARGs.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The platforms to build for (<c>--platform</c>); empty builds for linux and this machine's architecture.</summary>
    public IReadOnlyList<Platform> Platforms { get; init; } = [];

    /// <summary>Labels to set on the image after the Dockerfile's own (<c>--label</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The time of every history entry, of the image's <c>created</c> and of every file in a new
    /// layer; null takes <see cref="Image.DefaultTimestamp"/> (SOURCE_DATE_EPOCH, else the Unix epoch).
    /// </summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>
    /// Do every step again instead of taking its layer from the cache (<c>--no-cache</c>); what it
    /// makes is still stored for later builds.
    /// </summary>
    public bool NoCache { get; init; }

    /// <summary>
    /// Where the step cache keeps layers between builds (concurrent builds may share it); null
    /// takes <c>$XDG_CACHE_HOME/dockerless/build</c>, else <c>~/.cache/dockerless/build</c>.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Registry clients for base images; null makes a pool the result owns.</summary>
    public RegistryPool? Registries { get; init; }

    /// <summary>
    /// The secrets a RUN may mount (<c>--secret id=ID,src=FILE</c>): id to host file. They are
    /// read only while a RUN that mounts them runs, and never reach the image, its history or the cache key.
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Runs RUN instructions; null runs them with an <see cref="OciRunExecutor"/> (runc or crun, whichever is installed).</summary>
    public IRunExecutor? RunExecutor { get; init; }

    /// <summary>How new layers are compressed; their times come from <see cref="SourceDateEpoch"/>.</summary>
    public LayerOptions? LayerOptions { get; init; }

    /// <summary>Receives each step as it starts and ends (BuildKit's progress lines).</summary>
    public IProgress<BuildStepProgress>? Progress { get; init; }
}
