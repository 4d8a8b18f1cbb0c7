using Dockerless.IntegrationTests.Fixtures;
using Dockerless.IntegrationTests.Reliability;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Big blobs stream through with flat memory; chunked uploads and the blob cache on the real registry.</summary>
/// <remarks>
/// In the collection that runs alone: the memory test counts the bytes the whole process
/// allocates, which other tests running at the same time would add to.
/// </remarks>
[Collection(Isolated.Name)]
public sealed class LargeBlobTests(ITestOutputHelper output)
{
    /// <summary>
    /// A 200 MB layer pushed and pulled (to a temporary file) must stream: each direction may
    /// allocate an eighth of the blob's size at most (measured as bytes allocated by the whole
    /// process, which holds nothing else running), where a copy held in memory would allocate at
    /// least the whole. Counted allocations do not depend on timing or on when the GC runs.
    /// </summary>
    [Fact]
    public async Task A_200_MB_blob_round_trips_with_flat_memory()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var layer = await TempLayer.CreateLargeAsync(200L * 1024 * 1024, seed: 42);
        await using var image = Image.Scratch("big/app", "v1");
        image.AddLayer(layer);
        var progress = new List<TransferProgress>();
        await using var registry = new Registry(new RegistryOptions
        {
            Address = server.Host,
            Progress = new SynchronousProgress(p => { lock (progress) progress.Add(p); }),
        });
        var bound = layer.Size / 8;

        var beforePush = GC.GetTotalAllocatedBytes(precise: true);
        await registry.PushImageAsync(image);
        var pushAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforePush;
        var beforePull = GC.GetTotalAllocatedBytes(precise: true);
        await using var pulled = await registry.PullImageAsync("big/app", "v1");
        var pullAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforePull;
        output.WriteLine($"blob {layer.Size / 1048576} MB: the push allocated {pushAllocated / 1048576.0:0.0} MB, the pull {pullAllocated / 1048576.0:0.0} MB (bound {bound / 1048576} MB each)");

        Assert.True(pushAllocated < bound, $"the push of a {layer.Size}-byte blob allocated {pushAllocated} bytes");
        Assert.True(pullAllocated < bound, $"the pull of a {layer.Size}-byte blob allocated {pullAllocated} bytes");
        Assert.Equal(layer.Digest, pulled.Layers[0].Digest);
        Assert.True(pulled.Layers[0].IsLocal);
        await using (var check = await pulled.Layers[0].OpenAsync())
        {
            await check.CopyToAsync(Stream.Null);
        }
        Assert.Contains(progress, p => p.Digest == layer.Digest && p.BytesTransferred == layer.Size && p.TotalBytes == layer.Size);
        Assert.True(progress.Count(p => p.Digest == layer.Digest) > 100);
    }

    /// <summary>Chunked uploads, for a large blob and for a small one (under 1 MiB, which would otherwise go whole in one PUT).</summary>
    [Theory]
    [InlineData(1024 * 1024, 3_500_000)]
    [InlineData(128 * 1024, 500_000)]
    public async Task Chunked_uploads_send_several_PATCHes_that_the_real_registry_assembles(int chunkSize, long layerSize)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry(new RegistryOptions { Address = server.Host, ChunkSize = chunkSize });
        await using var layer = await TempLayer.CreateLargeAsync(layerSize, seed: 3);
        await using var image = Image.Scratch("chunked/app", "v1");
        image.AddLayer(layer);

        await registry.PushImageAsync(image);

        var patches = (await server.AccessLogAsync()).Count(l => l.Contains("\"PATCH /v2/chunked/app/blobs/uploads/", StringComparison.Ordinal));
        Assert.Equal((layer.Size + chunkSize - 1) / chunkSize, patches);
        await using var pulled = await registry.PullImageAsync("chunked/app", "v1");
        Assert.Equal(layer.Digest, pulled.Layers[0].Digest);
    }

    [Fact]
    public async Task The_blob_cache_serves_a_second_pull_without_downloading()
    {
        await using var server = await RegistryProcess.StartAsync();
        var cache = Directory.CreateTempSubdirectory("dockerless-cache-").FullName;
        try
        {
            await using (var image = await RegistryRoundTripTests.SmallImageAsync("cached/app"))
            await using (var writer = new Registry(server.Host))
            {
                await writer.PushImageAsync(image);
            }
            var options = new RegistryOptions { Address = server.Host, BlobCacheDirectory = cache };
            await using (var first = new Registry(options))
            await using (var pulled = await first.PullImageAsync("cached/app", "v1"))
            {
                var log = await server.AccessLogAsync();
                Assert.All(pulled.Layers, l => Assert.Single(RegistryProcess.BlobBodies(log, l.Digest)));
            }
            await using var second = new Registry(options);
            await using var again = await second.PullImageAsync("cached/app", "v1");

            var after = await server.AccessLogAsync();
            Assert.All(again.Layers, l => Assert.Single(RegistryProcess.BlobBodies(after, l.Digest)));
            Assert.Empty(Directory.EnumerateFiles(cache, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    /// <summary>
    /// A cache entry damaged on disk (one byte flipped) is no reason to fail for good: the read
    /// that finds it removes it, the pull reads the blob again from the registry, and the cache
    /// holds a good copy after. A lazy read that finds it fails naming the cache, and the next read downloads.
    /// </summary>
    [Fact]
    public async Task A_damaged_cache_entry_is_removed_and_the_blob_downloaded_again()
    {
        await using var server = await RegistryProcess.StartAsync();
        using var cache = new TempDirectory();
        await using (var image = await RegistryRoundTripTests.SmallImageAsync("damaged/app"))
        await using (var writer = new Registry(server.Host))
        {
            await writer.PushImageAsync(image);
        }
        var options = new RegistryOptions { Address = server.Host, BlobCacheDirectory = cache.Path };
        Digest layer;
        await using (var first = new Registry(options))
        await using (var pulled = await first.PullImageAsync("damaged/app", "v1"))
        {
            layer = pulled.Layers[0].Digest;
        }
        var entry = Path.Combine(cache.Path, layer.Algorithm, layer.Encoded);
        var good = await File.ReadAllBytesAsync(entry);
        void Damage() => File.WriteAllBytes(entry, [.. good[..^1], (byte)(good[^1] ^ 0xFF)]);

        Damage();
        await using (var eager = new Registry(options))
        await using (await eager.PullImageAsync("damaged/app", "v1"))
        {
        }
        Assert.Equal(good, await File.ReadAllBytesAsync(entry));
        Assert.Equal(2, RegistryProcess.BlobBodies(await server.AccessLogAsync(), layer).Count);

        Damage();
        await using var lazy = new Registry(options);
        await using var image2 = await lazy.PullImageAsync("damaged/app", "v1", lazy: true);
        var error = await Assert.ThrowsAsync<DigestMismatchException>(async () =>
        {
            await using var stream = await image2.Layers[0].OpenAsync();
            await stream.CopyToAsync(Stream.Null);
        });
        Assert.Contains($"(in the blob cache {cache.Path})", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(entry));
        await using (var again = await image2.Layers[0].OpenAsync())
        {
            await again.CopyToAsync(Stream.Null);
        }
        Assert.Equal(good, await File.ReadAllBytesAsync(entry));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    private sealed class SynchronousProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
