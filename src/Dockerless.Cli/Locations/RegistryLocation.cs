namespace Dockerless.Cli.Locations;

/// <summary><c>REF</c> or <c>docker://REF</c>: an image in a registry.</summary>
internal sealed record RegistryLocation : ImageLocation
{
    public required string Reference { get; init; }

    /// <summary>Lazy: with a registry destination too, no base layer is downloaded (they are mounted or streamed).</summary>
    public override Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
        => RegistryAccess.PullAsync(context, this, platform, cancellationToken);

    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        var digest = await RegistryAccess.PushAsync(context, this, image, cancellationToken);
        context.Status($"pushed {Reference}@{digest}");
    }
}
