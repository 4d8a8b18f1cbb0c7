using Dockerless.Distribution;
using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// Eight pushes at once into one repository, sharing base layers, through one client; and
/// pushes and pulls cancelled in the middle of a blob, which must stop promptly and leave no
/// temporary file; and blobs failing at once, which must end with a failure.
/// </summary>
[Collection(Isolated.Name)]
public sealed class ConcurrencyAndCancellationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Eight_concurrent_pushes_sharing_base_layers_all_land(bool oneClient)
    {
        await using var server = await RegistryProcess.StartAsync();
        var clients = Enumerable.Range(0, oneClient ? 1 : 8).Select(_ => new Dockerless.Registry($"http://{server.Host}")).ToList();
        await using var base1 = await TempLayer.CreateLargeAsync(600_000, seed: 41);
        await using var base2 = await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/etc/base"] = "shared"u8.ToArray() });
        var images = new List<Image>();
        for (var i = 0; i < 8; i++)
        {
            var image = Image.Scratch("shared/app", $"t{i}");
            image.AddLayer(base1);
            image.AddLayer(base2);
            image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/app/id"] = BitConverter.GetBytes(i) }));
            images.Add(image);
        }

        var digests = await Task.WhenAll(images.Select((image, i) => clients[i % clients.Count].PushImageAsync(image)));

        var registry = clients[0];
        Assert.Equal(8, digests.Distinct().Count());
        Assert.Equal(images.Select(i => i.Tag).Order(StringComparer.Ordinal), (await registry.ListTagsAsync("shared/app")).Order(StringComparer.Ordinal));
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(digests[i], await registry.GetDigestAsync("shared/app", $"t{i}"));
            await using var pulled = await registry.PullImageAsync("shared/app", $"t{i}");
            Assert.Equal(images[i].Layers.Select(l => l.Digest), pulled.Layers.Select(l => l.Digest));
        }
        foreach (var image in images) await image.Layers[2].DisposeAsync();
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    public async Task A_transfer_cancelled_mid_blob_stops_promptly_and_leaves_no_temporary_file(string kind)
    {
        using var temp = new PrivateTempPath();
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(8_000_000, seed: 43);
        await using var image = Image.Scratch("cancel/app", "v1");
        image.AddLayer(layer);
        if (kind == "pull")
        {
            await using var direct = new Dockerless.Registry(server.Host);
            await direct.PushImageAsync(image);
        }
        using var cancel = new CancellationTokenSource();
        var midBlob = new TaskCompletionSource();
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            var big = kind == "push" ? request.HttpMethod is "PATCH" or "PUT" && request.ContentLength64 is > 1_000_000 or -1 && request.HasEntityBody
                : request.HttpMethod == "GET" && request.Url!.AbsolutePath.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal);
            if (!big) return false;
            // Let a first part through, then hold the rest until the client gives up.
            midBlob.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30));
            return false;
        };
        await using var registry = new Dockerless.Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        var transfer = kind == "push"
            ? registry.PushImageAsync(image, cancellationToken: cancel.Token)
            : PullAndDisposeAsync(registry, cancel.Token);

        await midBlob.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();
        var stopped = await Task.WhenAny(transfer, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(transfer, stopped);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transfer);
        output.WriteLine($"{kind} cancelled mid-blob: stopped; Dockerless temporary files left: {temp.DockerlessFiles().Count}");
        Assert.Empty(temp.DockerlessFiles());
    }

    /// <summary>
    /// Sources of a large and a small blob that fail at the same moment: each lane's failure
    /// stops the other lane, and Parallel.ForEachAsync reports a loop whose token was cancelled as
    /// cancelled, whatever its bodies threw. The push must still end with one of the failures,
    /// never with a cancellation nobody asked for. Repeated, since the two failures race.
    /// </summary>
    [Fact]
    public async Task Two_lanes_failing_at_once_end_with_a_failure_not_a_cancellation()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Dockerless.Registry(new RegistryOptions { Address = $"http://{server.Host}", MaxRetries = 0 });
        for (var round = 0; round < 20; round++)
        {
            using var together = new Barrier(2);
            Func<CancellationToken, Task<Stream>> failing(string name) => _ => Task.Run(new Func<Stream>(() =>
            {
                together.SignalAndWait(TimeSpan.FromSeconds(30));
                throw new IOException($"the {name} blob's source is unreadable");
            }));
            BlobSource large = new(Blob(2 << 20, (byte)(2 * round)), null, failing("large"));
            BlobSource small = new(Blob(100, (byte)(2 * round + 1)), null, failing("small"));

            var error = await Record.ExceptionAsync(() => BlobMover.MoveAsync(registry, "lanes/app", [large, small], 4, null, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(error is IOException, $"round {round}: {error}");
        }
    }

    private static Descriptor Blob(long size, byte seed)
        => new() { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Compute([seed]), Size = size };

    private static async Task<Digest> PullAndDisposeAsync(Dockerless.Registry registry, CancellationToken token)
    {
        await using var pulled = await registry.PullImageAsync("cancel/app", "v1", cancellationToken: token);
        return pulled.Layers[0].Digest;
    }
}
