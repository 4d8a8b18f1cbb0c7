using System.Collections.Concurrent;

namespace Dockerless.Building;

/// <summary>
/// One build for one platform: the parsed Dockerfile, the context, the resolved global ARGs, and
/// every stage as a task started once (stages the target does not need are never started, and
/// stages that do not depend on each other run at the same time). It owns what the build made
/// (layers of other stages, unpacked trees, a registry pool it opened) until disposed.
/// </summary>
internal sealed class BuildSession : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, Lazy<Task<StageResult>>> _stages = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<SourceTree>>> _trees = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Image>>> _images = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Layer> _layers = [];
    private readonly RegistryPool? _ownedRegistries;
    private HashSet<Layer> _kept = [];

    public BuildSession(BuildInput input, Platform platform)
    {
        Input = input;
        Platform = platform;
        Options = input.Options;
        _ownedRegistries = Options.Registries is null ? new RegistryPool() : null;
        Registries = Options.Registries ?? _ownedRegistries!;
        Timestamp = Options.SourceDateEpoch ?? Image.DefaultTimestamp;
        LayerOptions = (Options.LayerOptions ?? new LayerOptions()) with { Timestamp = Timestamp };
        Lexer = new ShellLexer(input.Dockerfile.EscapeToken);
        GlobalArgs = ResolveGlobalArgs();
        WorkDirectory = Directory.CreateTempSubdirectory("dockerless-build-").FullName;
        CacheDirectory = Path.GetFullPath(Options.CacheDirectory ?? LayerCache.DefaultDirectory);
        Cache = new LayerCache(CacheDirectory);
    }

    /// <summary>The step cache's directory; RUN's work directories and cache mounts live under it too.</summary>
    public string CacheDirectory { get; }

    /// <summary>The step cache.</summary>
    public LayerCache Cache { get; }

    public BuildInput Input { get; }

    public BuildOptions Options { get; }

    /// <summary>The platform this session builds for (TARGETPLATFORM).</summary>
    public Platform Platform { get; }

    public RegistryPool Registries { get; }

    /// <summary>The time of history, <c>created</c> and new files.</summary>
    public DateTimeOffset Timestamp { get; }

    public LayerOptions LayerOptions { get; }

    public ShellLexer Lexer { get; }

    /// <summary>The ARGs before the first FROM with their values, and the platform ARGs: what FROM lines expand with.</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    /// <summary>A directory for unpacked stages and extracted archives, removed with the session.</summary>
    public string WorkDirectory { get; }

    public string FileName => Input.Dockerfile.FileName;

    /// <summary>Builds the target stage (and what it needs) and returns its image; the session owns nothing of it any more.</summary>
    public async Task<Image> BuildTargetAsync(CancellationToken cancellationToken)
    {
        var stages = Input.Stages.Stages;
        if (stages.Count == 0) throw new DockerfileBuildException(FileName, 0, "the Dockerfile has no FROM");
        var target = Options.Target is null ? stages[^1]
            : Input.Stages.Find(Options.Target) ?? throw new DockerfileBuildException(FileName, 0, $"target stage \"{Options.Target}\" could not be found");
        foreach (var needed in StageGraph.Needed(this, target)) _ = Stage(needed, cancellationToken);
        var result = await Stage(target.Index, cancellationToken).ConfigureAwait(false);
        var image = result.Image;
        foreach (var (key, value) in Options.Labels) image.Config.Labels[key] = value;
        _kept = [.. image.Layers];
        return image;
    }

    /// <summary>The result of stage <paramref name="index"/>, built once.</summary>
    public Task<StageResult> Stage(int index, CancellationToken cancellationToken) =>
        _stages.GetOrAdd(index, i => new Lazy<Task<StageResult>>(() => Task.Run(() => new StageBuilder(this, Input.Stages.Stages[i]).BuildAsync(cancellationToken), cancellationToken))).Value;

    /// <summary>An image named in FROM or <c>--from</c>, opened once (lazily, from a registry) for this platform.</summary>
    public Task<Image> ExternalImage(string name, Platform platform, CancellationToken cancellationToken) =>
        _images.GetOrAdd($"{name}\n{platform}", _ => new Lazy<Task<Image>>(() => ImageLocation.Parse(name).OpenImageAsync(platform, Registries, cancellationToken))).Value;

    /// <summary>The root filesystem of a stage or image unpacked into a directory, once, for COPY <c>--from</c>.</summary>
    public Task<SourceTree> UnpackedTree(string key, string description, Func<Task<Image>> image, CancellationToken cancellationToken) =>
        _trees.GetOrAdd(key, _ => new Lazy<Task<SourceTree>>(async () =>
        {
            var directory = Path.Combine(WorkDirectory, "tree-" + _trees.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
            await (await image().ConfigureAwait(false)).UnpackAsync(directory, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SourceTree(directory, DockerIgnore.None, KeepOwners: true, description);
        })).Value;

    /// <summary>Keeps <paramref name="layer"/> until the session ends unless the result holds it.</summary>
    public void Track(Layer layer) => _layers.Add(layer);

    /// <summary>Expands <paramref name="word"/> as one word with <paramref name="variables"/>, faults placed at <paramref name="instruction"/>.</summary>
    public string Expand(string word, IReadOnlyDictionary<string, string> variables, Instruction instruction)
    {
        try
        {
            return Lexer.ProcessWord(word, variables);
        }
        catch (ShellExpansionException e)
        {
            throw Fault(instruction, e.Message);
        }
    }

    /// <summary>A build fault at <paramref name="instruction"/>'s line.</summary>
    public DockerfileBuildException Fault(Instruction instruction, string reason, Exception? inner = null) => new(FileName, instruction.StartLine, reason, inner);

    private Dictionary<string, string> ResolveGlobalArgs()
    {
        var args = PlatformArgs.For(Platform, Platform.Host);
        foreach (var instruction in Input.Stages.GlobalArgs)
        {
            foreach (var declaration in instruction.Arguments)
            {
                if (Options.BuildArgs.TryGetValue(declaration.Name, out var given)) args[declaration.Name] = given;
                else if (declaration.DefaultValue is { } value) args[declaration.Name] = Expand(value, args, instruction);
            }
        }
        return args;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var layer in _layers.Where(l => !_kept.Contains(l))) await layer.DisposeAsync().ConfigureAwait(false);
        if (_ownedRegistries is not null) await _ownedRegistries.DisposeAsync().ConfigureAwait(false);
        try
        {
            if (Directory.Exists(WorkDirectory)) Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temporary directory goes with the system's next clean-up.
        }
    }
}

/// <summary>What a build reads: the Dockerfile, its stages, the context and the options.</summary>
/// <param name="Dockerfile">The parsed Dockerfile.</param>
/// <param name="Stages">Its stages.</param>
/// <param name="Context">The context directory.</param>
/// <param name="Ignore">The context's <c>.dockerignore</c>.</param>
/// <param name="Options">The options.</param>
internal sealed record BuildInput(Dockerfile Dockerfile, DockerfileStages Stages, string Context, DockerIgnore Ignore, BuildOptions Options);

/// <summary>A built stage: its image and the directories the build knows it holds.</summary>
/// <param name="Image">The stage's image; not to be changed (later stages copy it).</param>
/// <param name="Directories">Directories its instructions made.</param>
internal sealed record StageResult(Image Image, IReadOnlySet<string> Directories);
