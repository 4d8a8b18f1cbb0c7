namespace Dockerless.Build.Publishing;

/// <summary>
/// Makes the image: the base, opened lazily (from a registry only its manifest and config are
/// read), then one reproducible layer per <see cref="LayerKind"/> that has files, then the config.
/// </summary>
public static class ContainerImageBuilder
{
    /// <summary>The built image (the caller disposes it, then <paramref name="registries"/>) and the deps.json libraries it holds.</summary>
    public static async Task<(Image Image, IReadOnlyList<DepsLibrary> Libraries)> BuildAsync(ContainerImageRequest request, RegistryPool registries, IPublishLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var platform = RuntimePlatforms.For(request.RuntimeIdentifier);
        var workingDirectory = request.Settings.WorkingDirectory;
        if (!workingDirectory.StartsWith('/')) throw new ContainerSettingsException($"ContainerWorkingDirectory '{workingDirectory}' is not an absolute path");
        if (!Directory.Exists(request.PublishDirectory)) throw new ContainerSettingsException($"PublishDir '{request.PublishDirectory}' does not exist: run the Publish target first (dotnet publish -t:PublishContainer does)");
        IReadOnlyList<DepsLibrary> libraries = [];
        if (File.Exists(request.DepsFile)) libraries = await DepsFile.ReadAsync(request.DepsFile, cancellationToken).ConfigureAwait(false);
        else log.Warning(ErrorCodes.NoDepsFile, $"{request.DepsFile} does not exist: the whole app goes into one layer");

        Image image;
        try
        {
            image = await ImageLocation.Parse(request.BaseImage).OpenImageAsync(platform, registries, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerlessException e) when (e is not PlatformNotFoundException and not CredentialException)
        {
            throw new BaseImageException(request.BaseImage, e);
        }
        try
        {
            log.Detail($"Base image {request.BaseImage} ({image.GetDigest()}, {platform}): {image.Layers.Count} layers, none downloaded");
            var baseDigest = image.GetDigest();
            var layout = AppLayout.Create(request.PublishDirectory, libraries, request.AppAssembly);
            var options = new LayerOptions { Timestamp = request.Created };
            foreach (var (kind, files) in layout.Files)
            {
                var empty = kind == LayerKind.Resources ? layout.EmptyDirectories : [];
                if (files.Count == 0 && empty.Count == 0) continue;
                var builder = new LayerBuilder();
                foreach (var file in files) builder.AddPath(Path.Combine(request.PublishDirectory, file), workingDirectory.TrimEnd('/') + "/" + file);
                foreach (var directory in empty) builder.AddDirectory(workingDirectory.TrimEnd('/') + "/" + directory);
                var layer = await builder.BuildAsync(options, cancellationToken).ConfigureAwait(false);
                image.AddLayer(layer, new HistoryEntry { Created = request.Created, CreatedBy = $"Dockerless.Build: {kind.ToString().ToLowerInvariant()} layer", Author = "Dockerless.Build" });
                log.Detail($"Layer {kind.ToString().ToLowerInvariant()}: {files.Count} files, {layer.Size} bytes, {layer.Digest}");
            }
            request.Settings.ApplyTo(image.Config, text => log.Warning(ErrorCodes.BaseEntrypointReplaced, text));
            if (request.BaseDigestLabel) image.Config.Labels["org.opencontainers.image.base.digest"] = baseDigest.ToString();
            image.Created = request.Created;
            return (image, libraries);
        }
        catch
        {
            await image.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
