using Dockerless.Build.Publishing;
using Microsoft.Build.Framework;

namespace Dockerless.Build.Tasks;

/// <summary>
/// Makes one index of the per-RID images <see cref="CreateContainerImage"/> made (pushed by digest,
/// or written to OCI layouts) and writes it under the project's tags.
/// </summary>
public sealed class CreateContainerImageIndex : DestinationTask
{
    /// <summary>The per-RID images: metadata ManifestDigest, and Layout when not pushed.</summary>
    [Required] public ITaskItem[] Images { get; set; } = [];

    /// <summary>The index written.</summary>
    [Output] public string GeneratedImageIndex { get; private set; } = "";

    /// <summary>The index's digest.</summary>
    [Output] public string GeneratedIndexDigest { get; private set; } = "";

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var destination = Destination("OCI");
        var tally = new UploadTally();
        await using var registries = RegistryPools.Create(tally);
        var images = new List<Image>();
        try
        {
            foreach (var item in Images)
            {
                if (destination.IsRegistry)
                {
                    var reference = destination.Reference.WithDigestOnly(Digest.Parse(item.GetMetadata("ManifestDigest")));
                    images.Add(await registries.Get(reference.Registry).PullImageAsync(reference, lazy: true, cancellationToken: cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    images.Add((await Image.LoadAsync(item.GetMetadata("Layout"), cancellationToken).ConfigureAwait(false))[0]);
                }
            }
            await using var index = ImageIndex.Create(images);
            var result = await new ImagePublisher(registries, tally, this).PublishIndexAsync(index, destination, cancellationToken).ConfigureAwait(false);
            GeneratedImageIndex = result.Manifest;
            GeneratedIndexDigest = result.Digest.ToString();
            GeneratedArchiveOutputPath = result.ArchivePath ?? "";
        }
        finally
        {
            foreach (var image in images) await image.DisposeAsync().ConfigureAwait(false);
        }
    }
}
