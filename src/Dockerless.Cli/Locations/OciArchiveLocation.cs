namespace Dockerless.Cli.Locations;

/// <summary><c>oci-archive:PATH[:TAG]</c>: an OCI image layout in one tar.</summary>
internal sealed record OciArchiveLocation : OciLocation
{
    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        if (Tag is not null) image.Tag = Tag;
        await image.WriteOciArchiveAsync(Path, cancellationToken).ConfigureAwait(false);
    }
}
