namespace Dockerless.Cli.Commands;

/// <summary>Adds a layer made from a host file or directory, as build and append do.</summary>
internal static class HostLayer
{
    /// <summary>
    /// Builds the layer and records it in the history as <c>COPY NAME CONTAINER_PATH</c>, with the
    /// host path's last name only: the image must not depend on where the checkout lives, or the
    /// same sources would give other digests on another machine.
    /// </summary>
    public static async Task AddAsync(Image image, string hostPath, string containerPath, CancellationToken cancellationToken)
    {
        var layer = await image.NewLayerBuilder().AddPath(hostPath, containerPath).BuildAsync(cancellationToken: cancellationToken);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath)));
        image.AddLayer(layer, new HistoryEntry { Created = Image.DefaultTimestamp, CreatedBy = $"COPY {name} {containerPath}", Comment = "dockerless" });
    }
}
