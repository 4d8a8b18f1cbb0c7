using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Blobs start largest first, in a push and in an eager pull (seen one at a time in the access log).</summary>
public sealed class TransferOrderTests
{
    [Fact]
    public async Task Push_and_pull_move_the_largest_blob_first()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry(new RegistryOptions { Address = $"http://{server.Host}", MaxParallelBlobs = 1 });
        await using var image = Image.Scratch("order/app", "v1");
        foreach (var size in new[] { 20_000, 300_000, 90_000 })
        {
            var bytes = new byte[size];
            new Random(size).NextBytes(bytes);
            image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { [$"/data{size}"] = bytes }));
        }
        var bySize = image.Layers.OrderByDescending(l => l.Size).Select(l => l.Digest.ToString()).ToList();

        await registry.PushImageAsync(image);
        var pushed = (await server.AccessLogAsync())
            .Where(l => l.Contains("\"PUT /v2/order/app/blobs/uploads/", StringComparison.Ordinal))
            .Select(l => Uri.UnescapeDataString(l[(l.IndexOf("digest=", StringComparison.Ordinal) + 7)..].Split(' ')[0]))
            .ToList();
        await using var pulled = await registry.PullImageAsync("order/app", "v1");
        var fetched = (await server.AccessLogAsync())
            .Where(l => l.Contains("\"GET /v2/order/app/blobs/sha256:", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("/blobs/", StringComparison.Ordinal) + 7)..].Split(' ')[0])
            .Where(bySize.Contains)
            .ToList();

        Assert.Equal(bySize, pushed.Where(bySize.Contains));
        Assert.Equal(bySize, fetched);
    }
}
