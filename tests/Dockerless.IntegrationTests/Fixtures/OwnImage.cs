using System.Runtime.CompilerServices;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// Gives a test's image an id of its own. Engines know an image by the digest of its config, and
/// tests build the same busybox content under many names: in a shared dockerd or podman store
/// one test's image would otherwise be another's, already there before a load or removed by
/// another test's clean-up.
/// </summary>
public static class OwnImage
{
    /// <summary>Adds a label naming <paramref name="test"/> and a fresh guid to <paramref name="image"/>'s config and returns its new id.</summary>
    public static string Label(Image image, [CallerMemberName] string test = "")
    {
        image.Config.Labels["dockerless-test"] = $"{test} {Guid.NewGuid():N}";
        return IdOf(image);
    }

    /// <summary>The id (<c>sha256:…</c>) an engine gives <paramref name="image"/>: the digest of its config.</summary>
    public static string IdOf(Image image) => Digest.Compute(image.GetConfigBytes()).ToString();
}
