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

    /// <summary>
    /// Linux names are bytes; .NET lists those that are not UTF-8 with U+FFFD, a name that leads to
    /// no file. The error says so, naming the path as .NET has it, instead of "no such file" for a
    /// file that is there: in a tree, named as the source, and in a directory above the source.
    /// </summary>
    [Fact]
    public void A_name_that_is_not_utf8_is_an_error_saying_so()
    {
        using var tree = new TempDirectory();
        var names = tree.Combine("names");
        Directory.CreateDirectory(names);
        Run("/bin/bash", "-c", @"cd ""$0"" && mkdir app && touch app/main $'app/bad\xff' && mkdir $'lib\xfe' && touch $'lib\xfe/f'", names);
        try
        {
            var inTree = Assert.Throws<IOException>(() => new LayerBuilder().AddPath(Path.Combine(names, "app"), "/app"));
            var named = Assert.Throws<IOException>(() => new LayerBuilder().AddPath(Path.Combine(names, "app", "bad\uFFFD"), "/app/"));
            var below = Assert.Throws<IOException>(() => new LayerBuilder().AddPath(Path.Combine(names, "lib\uFFFD", "f"), "/lib/"));

            var bad = Path.Combine(names, "app", "bad\uFFFD");
            Assert.Equal($"{bad}: cannot read: its name is not valid UTF-8 (U+FFFD stands for the bytes that are not), so .NET cannot open it; rename it", inTree.Message);
            Assert.Equal(inTree.Message, named.Message);
            Assert.Equal($"{Path.Combine(names, "lib\uFFFD", "f")}: cannot read: the name of {Path.Combine(names, "lib\uFFFD")} is not valid UTF-8 "
                + "(U+FFFD stands for the bytes that are not), so .NET cannot open it; rename it", below.Message);
        }
        finally
        {
            // .NET cannot delete what it cannot name either.
            Run("rm", "-rf", names);
        }
    }

    /// <summary>
    /// A symlink whose target is not UTF-8 is an error saying so, instead of a link that .NET reads
    /// with U+FFFD and that would point at another name in the layer; a target holding U+FFFD as
    /// UTF-8 is written as it is.
    /// </summary>
    [Fact]
    public async Task A_symlink_whose_target_is_not_utf8_is_an_error_saying_so()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("app/main", "m");
        File.CreateSymbolicLink(tree.Combine("app", "odd"), "odd\uFFFD");
        await using var layer = await Layer.FromPathAsync(tree.Combine("app"), "/app", new LayerOptions { Timestamp = Fixed });
        Run("/bin/bash", "-c", @"ln -s $'bad\xff' ""$0""/bad", tree.Combine("app"));

        var error = Assert.Throws<IOException>(() => new LayerBuilder().AddPath(tree.Combine("app"), "/app"));

        Assert.Equal("odd\uFFFD", (await ReadLayerAsync(layer)).Single(e => e.Name == "app/odd").LinkName);
        Assert.Equal($"{tree.Combine("app", "bad")}: cannot read: the target of this symlink is not valid UTF-8 (U+FFFD stands for the bytes that are not: bad\uFFFD), "
            + "so its layer entry would point elsewhere; change the link", error.Message);
    }

    /// <summary>A name that holds U+FFFD itself, as UTF-8, is a name like any other: added when it is there, not found when it is not.</summary>
    [Fact]
    public async Task A_name_that_holds_U_FFFD_as_utf8_is_added_and_a_missing_one_is_not_found()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("app/odd\uFFFD", "o");

        await using var layer = await Layer.FromPathAsync(tree.Combine("app"), "/app", new LayerOptions { Timestamp = Fixed });

        Assert.Equal(["app/", "app/odd\uFFFD"], (await ReadLayerAsync(layer)).Select(e => e.Name));
        Assert.Throws<FileNotFoundException>(() => new LayerBuilder().AddPath(tree.Combine("app", "gone\uFFFD")));
    }

    /// <summary>A listening Unix socket at <paramref name="path"/>; the file stays while it is open.</summary>
    private static Socket BindUnixSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
