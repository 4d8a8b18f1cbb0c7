namespace Dockerless.Cli.Locations;

/// <summary><c>scratch</c>: the empty image, a source only.</summary>
internal sealed record ScratchLocation : ImageLocation
{
    public override Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
        => Task.FromResult(Image.Scratch(platform: platform));

    public override Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
        => throw new UsageException("scratch is a source only: it cannot be written to");
}
