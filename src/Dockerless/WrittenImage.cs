namespace Dockerless;

/// <summary>An image with the config bytes and manifest it is written and pushed with, worked out once.</summary>
internal sealed record WrittenImage(Image Image, byte[] Config, OriginalManifest Manifest)
{
    /// <summary>The documents of <paramref name="image"/> as they are now.</summary>
    public static WrittenImage Of(Image image)
    {
        var config = image.GetConfigBytes();
        return new WrittenImage(image, config, image.GetManifest(config));
    }
}
