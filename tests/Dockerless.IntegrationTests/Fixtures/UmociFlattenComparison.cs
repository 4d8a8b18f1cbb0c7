namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// Compares <see cref="Image.FlattenAsync"/> with umoci, a layer applier we did not write: umoci
/// unpacks the layered image into one rootfs and our flattened image into another.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class UmociFlattenComparison
{
    /// <summary>What differs between the two trees, as <see cref="TreeSnapshot.Differences"/> says it; empty when they are equal.</summary>
    public static async Task<List<string>> DifferencesAsync(Image image, string directory, TreeDetail detail = TreeDetail.Basic)
    {
        await using var flat = await image.FlattenAsync();
        var theirs = await UnpackAsync(image, Path.Combine(directory, "layered"), detail);
        var ours = await UnpackAsync(flat, Path.Combine(directory, "flat"), detail);
        return TreeSnapshot.Differences(theirs, ours, "umoci of the layers", "umoci of our flatten");
    }

    private static async Task<Dictionary<string, TreeNode>> UnpackAsync(Image image, string directory, TreeDetail detail)
    {
        var layout = Path.Combine(directory, "layout");
        var bundle = Path.Combine(directory, "bundle");
        await image.WriteOciLayoutAsync(layout);
        await Peer.RunAsync("umoci", ["unpack", "--image", $"{layout}:{image.Tag}", bundle]);
        return await TreeSnapshot.TakeAsync(Path.Combine(bundle, "rootfs"), detail);
    }
}
