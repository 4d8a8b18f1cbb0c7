namespace Dockerless.Cli.Locations;

/// <summary><c>oci:PATH[:TAG]</c>: an OCI image layout directory.</summary>
internal sealed record OciLayoutLocation : OciLocation
{
    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        if (Tag is not null) image.Tag = Tag;
        await image.WriteOciLayoutAsync(Path, cancellationToken).ConfigureAwait(false);
    }
}
