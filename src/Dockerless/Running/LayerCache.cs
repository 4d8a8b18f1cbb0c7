using System.Security.Cryptography;
using System.Text;
using Dockerless.Unpacking;
using Microsoft.Extensions.Logging;

namespace Dockerless.Running;

/// <summary>
/// The unpacked layers runs share, content-addressed under the cache directory, so that the
/// second run of an image unpacks nothing:
/// <list type="bullet">
/// <item><c>layers/overlay/sha256/DIFFID</c>: one layer alone, its whiteouts kept as overlayfs
/// reads them (as root: a run mounts an overlay of these);</item>
/// <item><c>layers/rootless/sha256/DIFFID</c>: one layer alone, unpacked rootless, its whiteouts
/// kept as the files fuse-overlayfs reads;</item>
/// <item><c>trees/root|rootless/sha256/CHAINID</c>: a whole image's merged root filesystem, which
/// a run copies when it cannot mount an overlay.</item>
/// </list>
/// Each is a <see cref="CacheEntry"/>: safe for concurrent processes, rebuilt when damaged.
/// </summary>
internal sealed class LayerCache(string directory, ILogger? logger)
{
    /// <summary>The directory of <paramref name="layer"/> alone, for an overlay; unpacked first if needed.</summary>
    public Task<string> LayerAsync(Layer layer, bool rootless, CancellationToken cancellationToken)
    {
        var options = rootless
            ? new UnpackOptions { Rootless = RootlessMode.Always, Whiteouts = WhiteoutFormat.Files }
            : new UnpackOptions { Rootless = RootlessMode.Never, Whiteouts = WhiteoutFormat.Overlay };
        var place = Path.Combine(directory, "layers", rootless ? "rootless" : "overlay", layer.DiffId.Algorithm);
        return CacheEntry.EnsureAsync(place, layer.DiffId.Encoded, $"layer {layer.DiffId}", tree => Unpacker.UnpackAsync([layer], tree, options, cancellationToken), logger, cancellationToken);
    }

    /// <summary>The merged root filesystem of <paramref name="layers"/>; unpacked first if needed.</summary>
    public Task<string> TreeAsync(IReadOnlyList<Layer> layers, bool rootless, CancellationToken cancellationToken)
    {
        var options = new UnpackOptions { Rootless = rootless ? RootlessMode.Always : RootlessMode.Never };
        var place = Path.Combine(directory, "trees", rootless ? "rootless" : "root", "sha256");
        var chain = ChainId(layers);
        return CacheEntry.EnsureAsync(place, chain, $"root filesystem of chain sha256:{chain}", tree => Unpacker.UnpackAsync(layers, tree, options, cancellationToken), logger, cancellationToken);
    }

    /// <summary>The OCI chain id of the layers (the hex of its sha256): the first diff_id, then sha256 of "CHAIN DIFFID" for each next one.</summary>
    internal static string ChainId(IReadOnlyList<Layer> layers)
    {
        if (layers.Count == 0) return Convert.ToHexStringLower(SHA256.HashData([]));
        var chain = layers[0].DiffId.ToString();
        foreach (var layer in layers.Skip(1))
        {
            chain = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{chain} {layer.DiffId}")));
        }
        return chain[(chain.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }
}
