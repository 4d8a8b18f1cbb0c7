using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Archives;

/// <summary>OCI layouts we write, checked by oci-image-tool and unpacked by umoci.</summary>
public sealed class OciValidatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Our_oci_layout_passes_oci_image_tool_validate()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/oci", "v1");
        await image.WriteOciLayoutAsync(_dir["layout"]);
        var output = await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", _dir["layout"]]);
        Assert.DoesNotContain("invalid", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Umoci_unpacks_our_layout_with_files_modes_links_and_whiteouts()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/oci", "v1");
        image.AddLayer(await TestLayer.BuildAsync(_dir["whiteout.tar.gz"],
            [TestEntry.Directory("data/"), new("data/.wh.hello.txt", []), new("data/new.txt", "new"u8.ToArray())]));
        await image.WriteOciLayoutAsync(_dir["layout"]);
        await Peer.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{_dir["layout"]}:v1", _dir["bundle"]]);

        var rootfs = _dir["bundle/rootfs"];
        var busybox = new FileInfo(Path.Combine(rootfs, "bin/busybox"));
        Assert.True(busybox.Exists);
        Assert.Equal(TestLayer.DirectoryMode, busybox.UnixFileMode);
        Assert.Equal("busybox", new FileInfo(Path.Combine(rootfs, "bin/sh")).LinkTarget);
        Assert.Equal(TestLayer.FileMode, new FileInfo(Path.Combine(rootfs, "data/new.txt")).UnixFileMode);
        Assert.False(File.Exists(Path.Combine(rootfs, "data/hello.txt")));
        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(rootfs, "data/new.txt")));
    }

    [Fact]
    public async Task An_image_added_to_an_existing_layout_still_validates_beside_the_first()
    {
        await WriteTwoAsync(("dockerless-test/oci", "v1"), ("dockerless-test/oci", "v2"));

        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", _dir["layout"]]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v2", _dir["layout"]]);
        Assert.Equal(["v1", "v2"], (await Image.LoadAsync(_dir["layout"])).Select(i => i.Tag));
    }

    [Fact]
    public async Task Two_names_with_the_same_tag_both_stay_in_a_layout_and_validate()
    {
        var (alpha, beta) = await WriteTwoAsync(("dockerless-test/alpha", "latest"), ("dockerless-test/beta", "latest"));
        // Writing alpha again replaces its own entry only.
        await alpha.WriteOciLayoutAsync(_dir["layout"]);

        // Both entries have the ref name "latest", so oci-image-tool finds each by its digest.
        var manifests = JsonNode.Parse(await File.ReadAllTextAsync(_dir["layout/index.json"]))!["manifests"]!.AsArray();
        Assert.Equal(2, manifests.Count);
        foreach (var manifest in manifests)
        {
            await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", $"digest={manifest!["digest"]}", _dir["layout"]]);
        }
        var loaded = await Image.LoadAsync(_dir["layout"]);
        Assert.Equal(["dockerless-test/alpha", "dockerless-test/beta"], loaded.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.All(loaded, i => Assert.Equal("latest", i.Tag));
        Assert.Equal(beta.GetConfigBytes(), loaded.Single(i => i.Name == "dockerless-test/beta").GetConfigBytes());
        Assert.Equal(alpha.GetConfigBytes(), loaded.Single(i => i.Name == "dockerless-test/alpha").GetConfigBytes());
    }

    [Fact]
    public async Task Adding_to_a_layout_keeps_the_index_annotations_and_unknown_fields()
    {
        await (await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/oci", "v1")).WriteOciLayoutAsync(_dir["layout"]);
        var indexFile = _dir["layout/index.json"];
        var index = JsonNode.Parse(await File.ReadAllTextAsync(indexFile))!.AsObject();
        index["annotations"] = new JsonObject { ["org.opencontainers.image.source"] = "https://example.invalid/repo" };
        index["vendor.example/note"] = "kept";
        await File.WriteAllTextAsync(indexFile, index.ToJsonString());

        await (await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/oci", "v2")).WriteOciLayoutAsync(_dir["layout"]);

        var after = JsonNode.Parse(await File.ReadAllTextAsync(indexFile))!.AsObject();
        Assert.Equal("https://example.invalid/repo", (string?)after["annotations"]?["org.opencontainers.image.source"]);
        Assert.Equal("kept", (string?)after["vendor.example/note"]);
        Assert.Equal(2, after["manifests"]!.AsArray().Count);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v2", _dir["layout"]]);
    }

    [Fact]
    public async Task A_windows_platforms_os_features_reach_index_json_and_validate()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/oci", "v1");
        image.Platform = new Platform { Os = "windows", Architecture = "amd64", OsVersion = "10.0.17763.1", OsFeatures = ["win32k"] };
        await image.WriteOciLayoutAsync(_dir["layout"]);

        var platform = JsonNode.Parse(await File.ReadAllTextAsync(_dir["layout/index.json"]))!["manifests"]![0]!["platform"]!;
        Assert.Equal("win32k", (string?)platform["os.features"]![0]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", _dir["layout"]]);
    }

    /// <summary>Writes two busybox images into one layout, one after the other; the second has one more variable, so they differ.</summary>
    private async Task<(Image First, Image Second)> WriteTwoAsync((string Name, string Tag) first, (string Name, string Tag) second)
    {
        var one = await BusyboxImage.BuildAsync(_dir.Path, first.Name, first.Tag);
        await one.WriteOciLayoutAsync(_dir["layout"]);
        var two = await BusyboxImage.BuildAsync(_dir.Path, second.Name, second.Tag);
        two.Config.Env.Add("SECOND=1");
        await two.WriteOciLayoutAsync(_dir["layout"]);
        return (one, two);
    }
}
