using System.Net.Sockets;
using static Dockerless.Tests.Layers.LayerTestSupport;

namespace Dockerless.Tests.Layers;

/// <summary>What <see cref="LayerBuilder.AddPath"/> makes of host input a plain tree of files does not have.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddPathTests
{
    /// <summary>
    /// A socket inside a tree is left out, as GNU tar ("socket ignored") and docker leave it out; one
    /// named as the source is an error naming it, not a layer without what was asked for.
    /// </summary>
    [Fact]
    public async Task A_socket_inside_a_tree_is_skipped_and_one_named_as_the_source_is_an_error()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("app/main", "m");
        using var socket = BindUnixSocket(tree.Combine("app", "control.sock"));

        await using var layer = await Layer.FromPathAsync(tree.Combine("app"), "/app", new LayerOptions { Timestamp = Fixed });
        File.CreateSymbolicLink(tree.Combine("current.sock"), tree.Combine("app", "control.sock"));
        var named = Assert.Throws<IOException>(() => new LayerBuilder().AddPath(tree.Combine("app", "control.sock"), "/run/"));
        var linked = Assert.Throws<IOException>(() => new LayerBuilder().AddPath(tree.Combine("current.sock"), "/run/"));

        Assert.Equal(["app/", "app/main"], (await ReadLayerAsync(layer)).Select(e => e.Name));
        Assert.Equal($"{tree.Combine("app", "control.sock")}: cannot add a socket to a layer (tar has no entry type for one)", named.Message);
        // The error names the path given, not the socket a link given leads to.
        Assert.StartsWith($"{tree.Combine("current.sock")}: cannot add a socket", linked.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// docker's COPY (20.10, the classic builder and BuildKit alike) makes the container path a 0755
    /// directory whatever the source directory's own mode; what is inside keeps its modes. A source
    /// made by mktemp -d (0700) must not lock every user but root out of /app.
    /// </summary>
    [Fact]
    public async Task A_private_source_directory_becomes_a_0755_container_directory_whose_contents_keep_their_modes()
    {
        using var tree = new TempDirectory();
        var source = Directory.CreateDirectory(tree.Combine("src"), Mode700).FullName;
        Directory.CreateDirectory(tree.Combine("src", "private"), Mode700);
        tree.WriteFile("src/secret", "s", Mode600);

        await using var layer = await Layer.FromPathAsync(source, "/app", new LayerOptions { Timestamp = Fixed });

        Assert.Equal([("app/", Mode755), ("app/private/", Mode700), ("app/secret", Mode600)], (await ReadLayerAsync(layer)).Select(e => (e.Name, e.Mode)));
    }

    /// <summary>A listening Unix socket at <paramref name="path"/>; the file stays while it is open.</summary>
    private static Socket BindUnixSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
