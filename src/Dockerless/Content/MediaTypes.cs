namespace Dockerless.Content;

/// <summary>The media types of the OCI image-spec and of Docker's image manifest v2 schema 2.</summary>
public static class MediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    /// <summary>OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    /// <summary>OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    /// <summary>OCI layer, uncompressed tar.</summary>
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    /// <summary>OCI layer, gzip.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    /// <summary>OCI layer, zstd.</summary>
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    /// <summary>OCI non-distributable layer, uncompressed (deprecated by the spec, still met).</summary>
    public const string OciForeignLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    /// <summary>OCI non-distributable layer, gzip.</summary>
    public const string OciForeignLayerGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    /// <summary>OCI non-distributable layer, zstd.</summary>
    public const string OciForeignLayerZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    /// <summary>The OCI empty descriptor's media type.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>Docker image manifest v2 schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    /// <summary>Docker manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    /// <summary>Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    /// <summary>Docker layer, gzip.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /// <summary>Docker layer, uncompressed (what docker-archive layer.tar files are).</summary>
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    /// <summary>Docker layer, zstd.</summary>
    public const string DockerLayerZstd = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    /// <summary>Docker foreign (non-distributable) layer, gzip.</summary>
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    /// <summary>Docker schema 1 manifest (unsupported; named for the error message).</summary>
    public const string DockerManifestSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    /// <summary>Docker schema 1 signed manifest (unsupported; named for the error message).</summary>
    public const string DockerManifestSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>True for an OCI index or Docker manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>True for an OCI or Docker schema 2 image manifest.</summary>
    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>True for a Docker media type (manifest, list, config or layer).</summary>
    public static bool IsDocker(string? mediaType) => mediaType is not null && mediaType.StartsWith("application/vnd.docker.", StringComparison.Ordinal);

    /// <summary>True for a non-distributable (foreign) layer, which registries do not store.</summary>
    public static bool IsForeignLayer(string? mediaType)
        => mediaType is OciForeignLayer or OciForeignLayerGzip or OciForeignLayerZstd or DockerForeignLayerGzip;

    /// <summary>True for any of the layer media types above.</summary>
    public static bool IsLayer(string? mediaType) => mediaType is OciLayer or OciLayerGzip or OciLayerZstd or DockerLayer or DockerLayerGzip or DockerLayerZstd
        || IsForeignLayer(mediaType);

    /// <summary>The compression a layer media type implies (none for an unknown type).</summary>
    public static LayerCompression CompressionOf(string? mediaType) => mediaType switch
    {
        OciLayerGzip or DockerLayerGzip or OciForeignLayerGzip or DockerForeignLayerGzip => LayerCompression.Gzip,
        OciLayerZstd or DockerLayerZstd or OciForeignLayerZstd => LayerCompression.Zstd,
        _ => LayerCompression.None,
    };

    /// <summary>The layer media type for <paramref name="compression"/> in the OCI or Docker family.</summary>
    public static string LayerType(LayerCompression compression, bool docker = false) => (compression, docker) switch
    {
        (LayerCompression.Gzip, false) => OciLayerGzip,
        (LayerCompression.Zstd, false) => OciLayerZstd,
        (LayerCompression.None, false) => OciLayer,
        (LayerCompression.Gzip, true) => DockerLayerGzip,
        (LayerCompression.Zstd, true) => DockerLayerZstd,
        _ => DockerLayer,
    };

    /// <summary>
    /// The non-distributable layer media type for <paramref name="compression"/> in the OCI or
    /// Docker family (Docker's has gzip only; the OCI type stands in for the others).
    /// </summary>
    public static string ForeignLayerType(LayerCompression compression, bool docker = false) => compression switch
    {
        LayerCompression.Gzip => docker ? DockerForeignLayerGzip : OciForeignLayerGzip,
        LayerCompression.Zstd => OciForeignLayerZstd,
        _ => OciForeignLayer,
    };
}

/// <summary>How a layer's tar is compressed.</summary>
public enum LayerCompression
{
    /// <summary>gzip, the default and what every registry and engine accepts.</summary>
    Gzip,
    /// <summary>zstd: smaller and faster; needs a recent engine.</summary>
    Zstd,
    /// <summary>A plain tar.</summary>
    None,
}
