namespace Dockerless.Locations;

/// <summary><c>scratch</c>: the empty image, a source only.</summary>
public sealed record ScratchLocation : ImageLocation
{
    private protected override string Canonical() => "scratch";

    /// <summary>An image with no layers for <paramref name="platform"/> (default: this machine's); see <see cref="Image.Scratch"/>.</summary>
    public override Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
        => Task.FromResult(Image.Scratch(platform: platform));

    /// <summary>Refused: scratch cannot be written to.</summary>
    public override Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
        => throw new InvalidLocationException("scratch is a source only: it cannot be written to");
}
