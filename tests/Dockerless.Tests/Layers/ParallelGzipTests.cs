using System.IO.Compression;
using static Dockerless.Tests.Layers.LayerTestSupport;

namespace Dockerless.Tests.Layers;

public class ParallelGzipTests
{
    /// <summary>3.5 blocks of text-like data: compressible, and different in every block.</summary>
    private static byte[] Sample()
    {
        var random = new Random(11);
        var data = new byte[ParallelGzipStream.BlockSize * 7 / 2];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)('a' + random.Next(16));
        return data;
    }

    private static async Task<byte[]> CompressAsync(byte[] data, int maxInFlight, int chunk)
    {
        var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output, CompressionLevel.Optimal, maxInFlight))
        {
            for (var offset = 0; offset < data.Length; offset += chunk)
            {
                await gzip.WriteAsync(data.AsMemory(offset, Math.Min(chunk, data.Length - offset)));
            }
        }
        return output.ToArray();
    }

    [Fact]
    public async Task The_members_decompress_to_the_input_and_the_bytes_do_not_depend_on_parallelism_or_write_sizes()
    {
        var data = Sample();

        var one = await CompressAsync(data, maxInFlight: 1, chunk: 4096);
        var many = await CompressAsync(data, maxInFlight: 8, chunk: 1_000_003);
        var sync = new MemoryStream();
        using (var gzip = new ParallelGzipStream(sync, CompressionLevel.Optimal, 3)) gzip.Write(data);

        Assert.Equal(one, many);
        Assert.Equal(one, sync.ToArray());
        Assert.Equal(data, await ReadAllAsync(new GZipStream(new MemoryStream(one), CompressionMode.Decompress)));
        Assert.True(one.Length < data.Length);
    }

    [Fact]
    public async Task An_empty_input_is_one_empty_member()
    {
        var empty = await CompressAsync([], maxInFlight: 2, chunk: 1);

        Assert.Empty(await ReadAllAsync(new GZipStream(new MemoryStream(empty), CompressionMode.Decompress)));
    }

    [Fact]
    public async Task A_parallel_gzip_layer_has_the_same_diff_id_as_a_plain_one()
    {
        var builder = new LayerBuilder().AddFile("/data", Sample());

        await using var plain = await builder.BuildAsync(new LayerOptions { ParallelGzip = false });
        await using var parallel = await builder.BuildAsync();
        await using var again = await builder.BuildAsync(new LayerOptions { ParallelGzip = true });

        Assert.Equal(plain.DiffId, parallel.DiffId);
        Assert.NotEqual(plain.Digest, parallel.Digest);
        Assert.Equal(parallel.Digest, again.Digest);
        Assert.Equal(MediaTypes.OciLayerGzip, parallel.MediaType);
        Assert.Equal(plain.DiffId, Digest.Compute(await ReadAllAsync(await parallel.OpenUncompressedAsync())));
    }

    [Fact]
    public async Task Layers_are_gzipped_in_parallel_by_default()
    {
        var builder = new LayerBuilder().AddFile("/data", Sample());

        await using var byDefault = await builder.BuildAsync();
        await using var parallel = await builder.BuildAsync(new LayerOptions { ParallelGzip = true });

        Assert.True(LayerOptions.Default.ParallelGzip);
        Assert.Equal(parallel.Digest, byDefault.Digest);
    }
}
