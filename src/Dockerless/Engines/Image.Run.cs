namespace Dockerless;

public sealed partial class Image
{
    /// <summary>
    /// Runs this image in a local container engine (docker or podman, through its CLI): loads it
    /// (a docker-archive streamed into <c>docker load</c>), runs <paramref name="command"/> (the
    /// image's Entrypoint and Cmd when empty) on network <c>none</c> unless told otherwise, and
    /// removes the container, and the image when this call loaded it, unless
    /// <see cref="RunOptions.Keep"/>. Throws <see cref="EngineNotFoundException"/> when no engine
    /// is found and <see cref="EngineCommandException"/> when the engine fails to load or start it.
    /// </summary>
    public async Task<RunResult> RunAsync(IEnumerable<string> command, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        options ??= new RunOptions();
        var engine = ContainerEngine.Find(options.Engine);
        // The engine's image id is the config digest, so the run names the image without a tag.
        var id = Digest.Compute(GetConfigBytes()).ToString();
        var loadedHere = !await engine.HasImageAsync(id, cancellationToken).ConfigureAwait(false);
        if (loadedHere) await LoadUntaggedAsync(engine, cancellationToken).ConfigureAwait(false);
        try
        {
            return await engine.RunAsync(id, command, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (loadedHere && !options.Keep) await engine.RemoveImageAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Loads the image without its name, so that running it never moves a tag in the engine.</summary>
    private async Task LoadUntaggedAsync(ContainerEngine engine, CancellationToken cancellationToken)
    {
        var archive = Path.Combine(Path.GetTempPath(), $"dockerless-run-{Guid.NewGuid():N}.tar");
        var name = Name;
        List<string> tags = [.. Tags];
        try
        {
            Name = "";
            Tags.Clear();
            await WriteFileAsync(archive, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Name = name;
            Tags.Clear();
            Tags.AddRange(tags);
        }
        try
        {
            await engine.LoadAsync(archive, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
