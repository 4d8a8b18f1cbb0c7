using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// Eight pushes at once into one repository, sharing base layers, through one client; and
/// pushes and pulls cancelled in the middle of a blob, which must stop and leave no temporary
/// file; and blobs failing at once, which must end with a failure.
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
        var clients = Enumerable.Range(0, oneClient ? 1 : 8).Select(_ => new Registry($"http://{server.Host}")).ToList();
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

    /// <summary>The bytes of a blob the proxy lets through before it holds the transfer.</summary>
    private const int Passed = 1_000_000;

    /// <summary>
    /// The proxy lets the first megabyte of the 8 MB layer through (for a pull: the headers and
    /// that much of the body, so the client has its temporary file; for a push: that much of the
    /// upload read), then holds the transfer, letting it creep on, until the client goes away. Cancelled there, the transfer must end as cancelled, drop its connection and leave
    /// no temporary file. Nothing here depends on how fast it stops; the waits are hang guards.
    /// </summary>
    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    public async Task A_transfer_cancelled_mid_blob_stops_and_leaves_no_temporary_file(string kind)
    {
        using var temp = new PrivateTempPath();
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(8_000_000, seed: 43);
        await using var image = Image.Scratch("cancel/app", "v1");
        image.AddLayer(layer);
        if (kind == "pull")
        {
            await using var direct = new Registry(server.Host);
            await direct.PushImageAsync(image);
        }
        using var cancel = new CancellationTokenSource();
        var midBlob = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            var big = kind == "push"
                ? request.HttpMethod is "PATCH" or "PUT" && request.ContentLength64 == layer.Size
                : request.HttpMethod == "GET" && request.Url!.AbsolutePath.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal);
            if (!big || Interlocked.Exchange(ref held, 1) == 1) return false;
            if (kind == "push") await HoldUploadAsync(context, cancel, midBlob, clientGone);
            else await HoldDownloadAsync(context, p, midBlob, clientGone);
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        var transfer = kind == "push"
            ? registry.PushImageAsync(image, cancellationToken: cancel.Token)
            : PullAndDisposeAsync(registry, cancel.Token);

        await midBlob.Task.WaitAsync(TimeSpan.FromMinutes(1));
        if (kind == "pull")
        {
            // The client writes the blob to a temporary file as it arrives: cancel once it has one with bytes in it.
            while (!temp.DockerlessFiles().Any(f => new FileInfo(f).Length > 0))
            {
                Assert.False(transfer.IsCompleted, $"the pull ended before its temporary file had bytes: {transfer.Exception}");
                await Task.Delay(20);
            }
            output.WriteLine($"mid-blob: {string.Join(", ", temp.DockerlessFiles().Select(f => $"{Path.GetFileName(f)} ({new FileInfo(f).Length} bytes)"))}");
        }
        Assert.False(transfer.IsCompleted, $"the {kind} ended before it was cancelled: {transfer.Exception}");
        cancel.Cancel();
        // Hang guards only: how soon it stops is not what is tested.
        var error = await Record.ExceptionAsync(() => transfer).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        await clientGone.Task.WaitAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"{kind} cancelled mid-blob: stopped, the proxy saw the client go; Dockerless temporary files left: {temp.DockerlessFiles().Count}");
        Assert.Empty(temp.DockerlessFiles());
    }

    /// <summary>
    /// Reads the first megabyte of an upload, then a little at a time until the test cancels;
    /// then drains what the connection still holds: the client has gone when it ends (or breaks)
    /// before the whole body came. The whole body arriving means the client carried on after its
    /// cancellation: that is answered 502, and the client is not reported gone.
    /// </summary>
    private static async Task HoldUploadAsync(System.Net.HttpListenerContext context, CancellationTokenSource clientCancel, TaskCompletionSource midBlob, TaskCompletionSource clientGone)
    {
        var request = context.Request;
        await request.InputStream.ReadExactlyAsync(new byte[Passed]);
        midBlob.TrySetResult();
        var buffer = new byte[256 * 1024];
        long read = Passed;
        try
        {
            while (read < request.ContentLength64)
            {
                var slowly = !clientCancel.IsCancellationRequested;
                var n = await request.InputStream.ReadAsync(buffer.AsMemory(0, slowly ? 4096 : buffer.Length));
                if (n == 0) break;
                read += n;
                if (slowly) await Task.Delay(50);
            }
        }
        catch (Exception e) when (LoopbackProxy.IsConnectionFailure(e))
        {
        }
        if (read < request.ContentLength64) clientGone.TrySetResult();
        else await LoopbackProxy.FailAsync(context);
    }

    /// <summary>Sends the headers and first megabyte of a blob, then a byte at a time until writing fails because the client went away.</summary>
    private static async Task HoldDownloadAsync(System.Net.HttpListenerContext context, LoopbackProxy proxy, TaskCompletionSource midBlob, TaskCompletionSource clientGone)
    {
        using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
        var length = upstream.Content.Headers.ContentLength!.Value;
        context.Response.StatusCode = (int)upstream.StatusCode;
        context.Response.ContentLength64 = length;
        await using var body = await upstream.Content.ReadAsStreamAsync();
        var head = new byte[Passed];
        await body.ReadExactlyAsync(head);
        var output = context.Response.OutputStream;
        await output.WriteAsync(head);
        await output.FlushAsync();
        midBlob.TrySetResult();
        var one = new byte[1];
        try
        {
            for (var sent = head.Length; sent < length - 1; sent++)
            {
                await body.ReadExactlyAsync(one);
                await output.WriteAsync(one);
                await output.FlushAsync();
                await Task.Delay(50);
            }
        }
        catch (Exception e) when (LoopbackProxy.IsConnectionFailure(e))
        {
            clientGone.TrySetResult();
        }
        context.Response.Abort();
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
        await using var registry = new Registry(new RegistryOptions { Address = $"http://{server.Host}", MaxRetries = 0 });
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

    private static async Task<Digest> PullAndDisposeAsync(Registry registry, CancellationToken token)
    {
        await using var pulled = await registry.PullImageAsync("cancel/app", "v1", cancellationToken: token);
        return pulled.Layers[0].Digest;
    }
}
