using Dockerless.IntegrationTests.Distribution;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>copy and push of a multi-platform OCI layout through the built tool, read back by skopeo.</summary>
public sealed class MultiPlatformVerbTests
{
    [Fact]
    public async Task Copy_and_push_of_a_two_platform_layout_give_the_registry_the_whole_index_and_platform_narrows()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        await MultiPlatformPushTests.WriteTwoPlatformLayoutAsync(dir["layout"]);

        await CliTool.SucceedAsync(["copy", $"oci:{dir["layout"]}:v1", $"docker://{registry.Host}/app:1"]);
        await CliTool.SucceedAsync(["push", dir["layout"], $"{registry.Host}/app:2"]);
        await CliTool.SucceedAsync(["copy", "--platform", "linux/arm64", $"oci:{dir["layout"]}:v1", $"docker://{registry.Host}/app:arm"]);
        await CliTool.SucceedAsync(["copy", $"oci:{dir["layout"]}:v1", $"oci-archive:{dir["both.tar"]}:v1"]);
        await CliTool.SucceedAsync(["copy", $"oci-archive:{dir["both.tar"]}:v1", $"docker://{registry.Host}/app:3"]);
        await CliTool.SucceedAsync(["push", dir["both.tar"], $"{registry.Host}/app:4"]);

        var copied = await MultiPlatformPushTests.RawAsync($"{registry.Host}/app:1");
        Assert.Equal(["amd64", "arm64"], MultiPlatformPushTests.Architectures(copied));
        Assert.Equal(copied, await MultiPlatformPushTests.RawAsync($"{registry.Host}/app:2"), JsonElementComparer);
        Assert.Equal(copied, await MultiPlatformPushTests.RawAsync($"{registry.Host}/app:3"), JsonElementComparer);
        Assert.Equal(copied, await MultiPlatformPushTests.RawAsync($"{registry.Host}/app:4"), JsonElementComparer);
        var arm = await MultiPlatformPushTests.RawAsync($"{registry.Host}/app:arm");
        Assert.False(arm.TryGetProperty("manifests", out _));
        var armEntry = copied.GetProperty("manifests").EnumerateArray().Single(m => m.GetProperty("platform").GetProperty("architecture").GetString() == "arm64");
        Assert.Equal(armEntry.GetProperty("digest").GetString(), Digest.Compute(System.Text.Encoding.UTF8.GetBytes(arm.GetRawText())).ToString());
    }

    [Fact]
    public async Task Copy_from_one_layout_to_another_keeps_every_platform_and_the_index_digest()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        await MultiPlatformPushTests.WriteTwoPlatformLayoutAsync(dir["layout"]);
        await CliTool.SucceedAsync(["copy", $"oci:{dir["layout"]}:v1", $"docker://{registry.Host}/app:1"]);
        await Peer.RunAsync("skopeo", ["copy", "--all", "--src-tls-verify=false", $"docker://{registry.Host}/app:1", $"oci:{dir["skopeo"]}:v1"]);

        await CliTool.SucceedAsync(["copy", $"oci:{dir["skopeo"]}:v1", $"oci:{dir["copy"]}:v2"]);
        await CliTool.SucceedAsync(["copy", $"oci:{dir["copy"]}:v2", $"docker://{registry.Host}/app:again"]);

        await using (var copied = await ImageIndex.LoadAsync(dir["copy"]))
        {
            Assert.Equal(2, copied.Images.Count);
            Assert.Equal("v2", copied.Tag);
        }
        var digest = (await CliTool.SucceedAsync(["digest", $"{registry.Host}/app:1"])).Output.Trim();
        Assert.Equal(digest, (await CliTool.SucceedAsync(["digest", $"{registry.Host}/app:again"])).Output.Trim());

        // Our own registry-to-layout copy keeps the index too.
        await CliTool.SucceedAsync(["copy", $"docker://{registry.Host}/app:1", $"oci:{dir["ours"]}:v1"]);
        await CliTool.SucceedAsync(["copy", $"oci:{dir["ours"]}:v1", $"docker://{registry.Host}/app:back"]);
        Assert.Equal(digest, (await CliTool.SucceedAsync(["digest", $"{registry.Host}/app:back"])).Output.Trim());
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["ours"]]);
    }

    [Fact]
    public async Task A_nested_index_copies_whole_between_registries_and_into_a_layout()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        await using (var client = new Registry($"http://{registry.Host}"))
        {
            await LazyPushAndCopyTests.PushNestedIndexAsync(client, "nest/app");
        }

        await CliTool.SucceedAsync(["copy", $"docker://{registry.Host}/nest/app:outer", $"docker://{registry.Host}/copy/app:outer"]);
        await CliTool.SucceedAsync(["copy", $"docker://{registry.Host}/nest/app:outer", $"oci:{dir["layout"]}:v1"]);

        var digest = (await CliTool.SucceedAsync(["digest", $"{registry.Host}/nest/app:outer"])).Output.Trim();
        Assert.Equal(digest, (await CliTool.SucceedAsync(["digest", $"{registry.Host}/copy/app:outer"])).Output.Trim());
        // The layout keeps the nesting byte for byte, as skopeo copy --all does (oci-image-tool validates no nested index).
        Assert.Equal(await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{registry.Host}/nest/app:outer"]),
            await Peer.RunAsync("skopeo", ["inspect", "--raw", $"oci:{dir["layout"]}:v1"]));
        foreach (var platform in new[] { "amd64", "arm64" })
        {
            await CliTool.SucceedAsync(["copy", "--platform", $"linux/{platform}", $"oci:{dir["layout"]}:v1", $"oci:{dir[platform]}:v1"]);
            await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir[platform]]);
        }
        await using var index = await ImageIndex.LoadAsync(dir["layout"]);
        Assert.Equal(["amd64", "arm64"], index.Images.Select(i => i.Platform.Architecture).Order());
    }

    private static readonly IEqualityComparer<System.Text.Json.JsonElement> JsonElementComparer =
        EqualityComparer<System.Text.Json.JsonElement>.Create((a, b) => a.GetRawText() == b.GetRawText(), e => e.GetRawText().GetHashCode(StringComparison.Ordinal));
}
