namespace Dockerless.Building;

/// <summary>
/// Builds images from a Dockerfile and a context directory, as <c>docker build</c> (BuildKit)
/// does, without a daemon. Bases are read through <see cref="ImageLocation"/>: a registry base
/// is read lazily, so a stage without RUN never downloads its layers, and pushing the result
/// mounts or finds them in place. Nothing is written: write the result where you want it.
/// </summary>
/// <example>
/// <code>
/// await using var image = await DockerfileBuilder.BuildFileAsync("app/Dockerfile", "app", new BuildOptions { BuildArgs = args });
/// await ImageLocation.ParseDestination("docker://127.0.0.1:5000/app:1").WriteImageAsync(image);
/// </code>
/// </example>
public static class DockerfileBuilder
{
    /// <summary>
    /// Builds <paramref name="dockerfile"/> (its text; <paramref name="fileName"/> names it in errors)
    /// with the files of <paramref name="contextDirectory"/> for one platform (the only one of
    /// <see cref="BuildOptions.Platforms"/>, else the host's). The image owns what the build made:
    /// dispose it.
    /// </summary>
    /// <exception cref="DockerfileSyntaxException">The Dockerfile does not parse.</exception>
    /// <exception cref="DockerfileBuildException">An instruction cannot be built; the message names the file and line.</exception>
    public static async Task<Image> BuildAsync(string dockerfile, string contextDirectory, BuildOptions? options = null, string fileName = DockerfileParser.DefaultFileName, CancellationToken cancellationToken = default)
    {
        options ??= new BuildOptions();
        if (options.Platforms.Count > 1) throw new ArgumentException("several platforms build an index: call BuildIndexAsync", nameof(options));
        var input = await ReadInputAsync(dockerfile, contextDirectory, fileName, null, options, cancellationToken).ConfigureAwait(false);
        return await BuildOneAsync(input, options.Platforms.Count == 1 ? options.Platforms[0] : Platform.Host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the Dockerfile at <paramref name="dockerfilePath"/>; see <see cref="BuildAsync"/>. Its <c>PATH.dockerignore</c> is read before the context's <c>.dockerignore</c>.</summary>
    public static async Task<Image> BuildFileAsync(string dockerfilePath, string contextDirectory, BuildOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dockerfilePath);
        options ??= new BuildOptions();
        if (options.Platforms.Count > 1) throw new ArgumentException("several platforms build an index: call BuildIndexFileAsync", nameof(options));
        var text = await File.ReadAllTextAsync(dockerfilePath, cancellationToken).ConfigureAwait(false);
        var input = await ReadInputAsync(text, contextDirectory, Path.GetFileName(dockerfilePath), dockerfilePath, options, cancellationToken).ConfigureAwait(false);
        return await BuildOneAsync(input, options.Platforms.Count == 1 ? options.Platforms[0] : Platform.Host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the Dockerfile once for each of <see cref="BuildOptions.Platforms"/> (the host's when
    /// empty) and returns the images as an index, in that order. Platforms build one after the other.
    /// </summary>
    public static async Task<ImageIndex> BuildIndexAsync(string dockerfile, string contextDirectory, BuildOptions? options = null, string fileName = DockerfileParser.DefaultFileName, CancellationToken cancellationToken = default)
    {
        options ??= new BuildOptions();
        var input = await ReadInputAsync(dockerfile, contextDirectory, fileName, null, options, cancellationToken).ConfigureAwait(false);
        return await BuildManyAsync(input, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the Dockerfile at <paramref name="dockerfilePath"/> for every platform; see <see cref="BuildIndexAsync"/>.</summary>
    public static async Task<ImageIndex> BuildIndexFileAsync(string dockerfilePath, string contextDirectory, BuildOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dockerfilePath);
        options ??= new BuildOptions();
        var text = await File.ReadAllTextAsync(dockerfilePath, cancellationToken).ConfigureAwait(false);
        var input = await ReadInputAsync(text, contextDirectory, Path.GetFileName(dockerfilePath), dockerfilePath, options, cancellationToken).ConfigureAwait(false);
        return await BuildManyAsync(input, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BuildInput> ReadInputAsync(string text, string contextDirectory, string fileName, string? dockerfilePath, BuildOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(contextDirectory);
        if (!Directory.Exists(contextDirectory)) throw new DirectoryNotFoundException($"{contextDirectory}: the build context is not a directory");
        var dockerfile = DockerfileParser.Parse(text, fileName);
        var stages = InstructionParser.Parse(dockerfile);
        var ignore = await DockerIgnore.LoadAsync(contextDirectory, dockerfilePath, cancellationToken).ConfigureAwait(false);
        return new BuildInput(dockerfile, stages, Path.GetFullPath(contextDirectory), ignore, options);
    }

    private static async Task<Image> BuildOneAsync(BuildInput input, Platform platform, CancellationToken cancellationToken)
    {
        var session = new BuildSession(input, platform);
        try
        {
            var image = await session.BuildTargetAsync(cancellationToken).ConfigureAwait(false);
            image.Owns(session);
            return image;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<ImageIndex> BuildManyAsync(BuildInput input, CancellationToken cancellationToken)
    {
        var platforms = input.Options.Platforms.Count == 0 ? [Platform.Host] : input.Options.Platforms;
        var images = new List<Image>();
        try
        {
            foreach (var platform in platforms) images.Add(await BuildOneAsync(input, platform, cancellationToken).ConfigureAwait(false));
            return ImageIndex.Create(images);
        }
        catch
        {
            foreach (var image in images) await image.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
