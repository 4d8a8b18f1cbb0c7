namespace Dockerless;

/// <summary>
/// What identifies an image where it is written or pushed: its manifest and config, byte for
/// byte, and the manifest's digest (as go-containerregistry's <c>RawManifest</c>,
/// <c>RawConfigFile</c> and <c>Digest</c>). Nothing here reads a layer: every layer knows its digest.
/// </summary>
public sealed partial class Image
{
    /// <summary>
    /// The manifest this image is written and pushed with: the original bytes while neither
    /// the config nor the layers changed, else a new OCI manifest.
    /// </summary>
    public RawManifest GetRawManifest() => RawManifest.Of(GetManifest(GetConfigBytes()));

    /// <summary>The config's bytes: the original ones while unedited, else newly serialized.</summary>
    public ReadOnlyMemory<byte> GetRawConfig() => GetConfigBytes();

    /// <summary>The digest of <see cref="GetRawManifest"/>: what a registry or layout names this image by.</summary>
    public Digest GetDigest() => GetManifest(GetConfigBytes()).Digest;
}
