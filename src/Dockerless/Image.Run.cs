using Microsoft.Extensions.Logging;

namespace Dockerless;

public sealed partial class Image
{
    /// <summary>The repository of the name each run gives the image in the engine; fully qualified, so docker and podman resolve it alike.</summary>
    internal const string RunRepository = "localhost/dockerless-run";

    /// <summary>
    /// Runs this image and returns the container's exit code and output, with what
    /// <see cref="ContainerRunner.Find"/> picks: an OCI runtime (runc, crun) by itself, or a
    /// container engine. With a runtime, the root filesystem is unpacked into a bundle of the run's
    /// own from the layers cached in <see cref="RunOptions.CacheDirectory"/> (unpacked on the first
    /// run) and run as <see cref="OciRuntime.RunAsync"/> describes. With an engine (docker or podman,
    /// through its CLI), the image is given a
    /// name of this run's own (<c>localhost/dockerless-run:&lt;random&gt;</c>), loading it (a
    /// docker-archive streamed into <c>docker load</c>) unless the engine already has it, runs
    /// <paramref name="command"/> (the image's Entrypoint and Cmd when empty) by that name on
    /// network <c>none</c> unless told otherwise, and removes the container and that name unless
    /// <see cref="RunOptions.Keep"/>. Removing the name deletes the image only when nothing else
    /// names or uses it, so concurrent runs of one image and the user's own names are left alone;
    /// an image the engine has without any name is run by its id and never named or removed.
    /// Throws <see cref="RuntimeNotFoundException"/> or <see cref="EngineNotFoundException"/> when
    /// nothing to run it with is found, <see cref="EngineCommandException"/> when the engine fails to
    /// load or start it, and the exceptions of <see cref="OciRuntime.RunAsync"/> with a runtime.
    /// </summary>
    public async Task<RunResult> RunAsync(IEnumerable<string> command, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        options ??= new RunOptions();
        var runner = ContainerRunner.Find(options);
        if (runner.Runtime is { } runtime) return await RunWithRuntimeAsync(runtime, [.. command], options, cancellationToken).ConfigureAwait(false);
        var engine = runner.Engine!;
        // docker's classic store and podman know an image by its config digest; docker's
        // containerd store does not, and then the image is loaded again (a name is all it needs).
        var id = Digest.Compute(GetConfigBytes()).ToString();
        var names = await engine.ImageNamesAsync(id, cancellationToken).ConfigureAwait(false);
        if (names is { Count: 0 })
        {
            // The user's untagged image: docker has no untag, and removing the last name of an
            // image deletes it, so it is run by id and given no name to remove.
            return await engine.RunAsync(id, command, options, cancellationToken).ConfigureAwait(false);
        }

        var tag = Guid.NewGuid().ToString("N");
        var name = $"{RunRepository}:{tag}";
        if (names is null)
        {
            await LoadAsAsync(engine, tag, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                await engine.TagAsync(id, name, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineCommandException)
            {
                // Gone since it was looked up (another run removed its own last name): load it.
                await LoadAsAsync(engine, tag, cancellationToken).ConfigureAwait(false);
            }
        }
        try
        {
            return await engine.RunAsync(name, command, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!options.Keep) await RemoveRunNameAsync(engine, name, options.Logger).ConfigureAwait(false);
        }
    }

    /// <summary>The image's root filesystem made from its cached layers (<see cref="MountRootFilesystemAsync"/>), run there by <paramref name="runtime"/>.</summary>
    private async Task<RunResult> RunWithRuntimeAsync(OciRuntime runtime, IReadOnlyList<string> command, RunOptions options, CancellationToken cancellationToken)
    {
        var root = await MountRootFilesystemAsync(options, cancellationToken).ConfigureAwait(false);
        await using (root.ConfigureAwait(false))
        {
            return await ContainerRun.RunAsync(runtime, root.Path, Config, command, options, root.Bundle, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Loads the image under <see cref="RunRepository"/>:<paramref name="tag"/> only, so that running it never moves one of
    /// its own tags in the engine. A stand-in image with the same config bytes and layers carries
    /// the name, leaving this one untouched for concurrent runs and writes.
    /// </summary>
    private async Task LoadAsAsync(ContainerEngine engine, string tag, CancellationToken cancellationToken)
    {
        var named = FromParts(GetConfigBytes(), Layers, "run");
        named.Name = RunRepository;
        named.Tag = tag;
        var archive = Path.Combine(Path.GetTempPath(), $"dockerless-run-{Guid.NewGuid():N}.tar");
        try
        {
            // The stand-in is not disposed: its layers are this image's.
            await named.WriteFileAsync(archive, cancellationToken).ConfigureAwait(false);
            await engine.LoadAsync(archive, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>
    /// Removes the run's name without force, even after a cancelled run. A failure is only a
    /// warning: the container's exit code is the run's result, and what is left is one name.
    /// </summary>
    private static async Task RemoveRunNameAsync(ContainerEngine engine, string name, ILogger? logger)
    {
        try
        {
            await engine.RemoveImageAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EngineCommandException e)
        {
            if (logger is not null) LogRemoveFailed(logger, name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove the run's image name {Name}: {Error}")]
    private static partial void LogRemoveFailed(ILogger logger, string name, string error);
}
