using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>The registry issue's own example, end to end on the real registry.</summary>
public sealed class IssueExampleTests
{
    [Fact]
    public async Task Lazy_pull_patch_push_then_save_fetches_each_base_layer_exactly_once_at_save()
    {
        await using var server = await RegistryProcess.StartAsync();
        var work = Directory.CreateTempSubdirectory("dockerless-example-").FullName;
        try
        {
            await using var local = new Registry($"http://{server.Host}");
            await using (var base_ = await RegistryRoundTripTests.SmallImageAsync("continuumio/miniconda3", "latest"))
            {
                await local.PushImageAsync(base_);
            }

            await using var big = await local.PullImageAsync("continuumio/miniconda3", "latest", lazy: true);
            var baseLayers = big.Layers.Select(l => l.Digest).ToList();
            big.AddLayerContents(new Dictionary<string, byte[]> { ["/hello"] = "hi"u8.ToArray() });
            big.Name = "mine/miniconda3";
            big.Tag = "patched";
            await local.PushImageAsync(big);
            var afterPush = await server.AccessLogAsync();
            Assert.All(baseLayers, d => Assert.Empty(RegistryProcess.BlobBodies(afterPush, d)));

            var tar = Path.Combine(work, "big.tar");
            await big.WriteFileAsync(tar);

            var afterSave = await server.AccessLogAsync();
            Assert.All(baseLayers, d => Assert.Single(RegistryProcess.BlobBodies(afterSave, d)));
            var inspected = await Peer.RunAsync("skopeo", ["inspect", $"docker-archive:{tar}"]);
            Assert.Contains(baseLayers[0].ToString(), await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{server.Host}/mine/miniconda3:patched"]), StringComparison.Ordinal);
            Assert.Contains("\"Layers\"", inspected, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
