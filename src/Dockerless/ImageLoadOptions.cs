namespace Dockerless;

/// <summary>How <see cref="Image.LoadAsync(string, ImageLoadOptions?, CancellationToken)"/> chooses among the platforms of an OCI index.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>The platform to load where an index offers several; null means <see cref="Dockerless.Content.Platform.Host"/>.</summary>
    public Platform? Platform { get; init; }
}
