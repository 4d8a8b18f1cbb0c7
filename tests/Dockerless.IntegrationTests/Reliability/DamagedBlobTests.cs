using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// A blob damaged on its way from a real registry (a proxy flips one byte of its first download)
/// is read again while nothing has been handed on: a layer during a copy between two registries
/// (its bytes fail their digest before the destination is asked to commit them, so it goes into a
/// new upload session, within the uploading client's retry budget), and a config during a pull.
/// </summary>
public sealed class DamagedBlobTests
{
    [Fact]
    public async Task A_layer_damaged_on_the_way_is_read_again_and_the_copy_completes()
    {
        await using var source = await DamagedSource.StartAsync(damageConfig: false);

        await using (var from = new Registry(new RegistryOptions { Address = source.Proxy.Address, MaxRetries = 2 }))
        await using (var to = new Registry(source.Destination.Host))
        {
            var digest = await from.CopyAsync("damaged/app:v1", to, "copied/app:v1");

            Assert.Equal(source.ManifestDigest, digest);
        }
        Assert.Equal(2, source.DamagedGets);
        await using var check = new Registry(source.Destination.Host);
        await using var pulled = await check.PullImageAsync("copied/app", "v1");
        await using var layer = await pulled.Layers[0].OpenAsync();
        await layer.CopyToAsync(Stream.Null);
    }

    [Fact]
    public async Task Without_a_retry_budget_the_damaged_layer_fails_the_copy_and_nothing_is_tagged()
    {
        await using var source = await DamagedSource.StartAsync(damageConfig: false);

        await using (var from = new Registry(new RegistryOptions { Address = source.Proxy.Address, MaxRetries = 0 }))
        await using (var to = new Registry(new RegistryOptions { Address = source.Destination.Host, MaxRetries = 0 }))
        {
            var error = await Assert.ThrowsAsync<DigestMismatchException>(() => from.CopyAsync("damaged/app:v1", to, "copied/app:v1"));

            Assert.Contains(source.Damaged.ToString(), error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(1, source.DamagedGets);
        await using var check = new Registry(source.Destination.Host);
        var missing = await Assert.ThrowsAsync<RegistryException>(() => check.PullImageAsync("copied/app", "v1"));
        Assert.True(missing.Code is "NAME_UNKNOWN" or "MANIFEST_UNKNOWN", missing.Message);
    }

    [Fact]
    public async Task A_config_damaged_on_the_way_is_read_again_and_the_pull_completes()
    {
        await using var source = await DamagedSource.StartAsync(damageConfig: true);
        await using var registry = new Registry(new RegistryOptions { Address = source.Proxy.Address, MaxRetries = 2 });

        await using var pulled = await registry.PullImageAsync("damaged/app", "v1", lazy: true);

        Assert.Equal(2, source.DamagedGets);
        Assert.Single(pulled.Layers);
    }

    /// <summary>
    /// Two registries, an image in the first, and a proxy before it that flips one byte of the
    /// first download of the image's layer, or of its config.
    /// </summary>
    private sealed class DamagedSource : IAsyncDisposable
    {
        private RegistryProcess _source = null!;
        private int _damagedGets;

        public RegistryProcess Destination { get; private set; } = null!;
        public LoopbackProxy Proxy { get; private set; } = null!;
        public Digest Damaged { get; private set; }
        public Digest ManifestDigest { get; private set; }
        public int DamagedGets => _damagedGets;

        public static async Task<DamagedSource> StartAsync(bool damageConfig)
        {
            var source = new DamagedSource();
            try
            {
                source._source = await RegistryProcess.StartAsync();
                source.Destination = await RegistryProcess.StartAsync();
                await using var layer = await TempLayer.CreateLargeAsync(2_000_000, seed: 77);
                await using (var image = Image.Scratch("damaged/app", "v1"))
                await using (var writer = new Registry(source._source.Host))
                {
                    image.AddLayer(layer);
                    source.ManifestDigest = await writer.PushImageAsync(image);
                    var manifest = await writer.GetManifestAsync("damaged/app", "v1");
                    source.Damaged = damageConfig ? manifest.Manifest!.Config.Digest : layer.Digest;
                }
                source.Proxy = LoopbackProxy.Start($"http://{source._source.Host}");
                source.Proxy.Intercept = source.FlipFirstDownloadAsync;
                return source;
            }
            catch
            {
                // The caller gets no source to dispose: stop the registries already started.
                await source.DisposeAsync();
                throw;
            }
        }

        private async Task<bool> FlipFirstDownloadAsync(System.Net.HttpListenerContext context, LoopbackProxy proxy)
        {
            var request = context.Request;
            if (request.HttpMethod != "GET" || !request.Url!.AbsolutePath.EndsWith(Damaged.ToString(), StringComparison.Ordinal)) return false;
            if (Interlocked.Increment(ref _damagedGets) > 1) return false;
            using var upstream = await proxy.ForwardAsync(request, request.Url.PathAndQuery, "GET");
            var body = await upstream.Content.ReadAsByteArrayAsync();
            body[body.Length / 2] ^= 0x5a;
            proxy.Record(request, (int)upstream.StatusCode, body.Length);
            await LoopbackProxy.RespondAsync(context, (int)upstream.StatusCode, new Dictionary<string, string>(), body);
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            if (Proxy is not null) await Proxy.DisposeAsync();
            if (Destination is not null) await Destination.DisposeAsync();
            if (_source is not null) await _source.DisposeAsync();
        }
    }
}
