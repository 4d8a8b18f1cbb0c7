namespace Dockerless.Cli.Locations;

/// <summary><c>REF</c> or <c>docker://REF</c>: an image in a registry.</summary>
internal sealed record RegistryLocation : ImageLocation
{
    public required string Reference { get; init; }

    public override Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
        => throw new DockerlessException($"{Text}: registry locations need the registry client, which this build does not have yet");

    public override Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
        => throw new DockerlessException($"{Text}: registry locations need the registry client, which this build does not have yet");
}
