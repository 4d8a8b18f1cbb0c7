using System.Text;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Layers;

/// <summary>
/// Export and flatten read each layer to its end, so a layer whose bytes do not match its digest
/// or diff_id fails them, as it fails a write of the image elsewhere.
/// </summary>
public sealed class DamagedLayerExportTests : IDisposable
{
    private const string Original = "the bytes the digest was made of";
    private readonly Dockerless.IntegrationTests.Fixtures.TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_layer_altered_in_a_docker_archive_fails_export_and_flatten()
    {
        var layer = await TestLayer.BuildAsync(_dir["layer"], [new("file", Encoding.ASCII.GetBytes(Original))], LayerCompression.None);
        await TestLayer.ImageOf("app", "v1", layer).WriteFileAsync(_dir["app.tar"]);
        // Same length, so nothing but the digest can tell: the outer tar and the layer's tar both stay valid.
        var bytes = await File.ReadAllBytesAsync(_dir["app.tar"]);
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Original));
        Encoding.ASCII.GetBytes(Original.ToUpperInvariant()).CopyTo(bytes, at);
        await File.WriteAllBytesAsync(_dir["app.tar"], bytes);
        var damaged = Assert.Single(await Image.LoadAsync(_dir["app.tar"]));

        var export = await Assert.ThrowsAsync<DigestMismatchException>(() => damaged.ExportAsync(Stream.Null));
        Assert.Contains(layer.Digest.Encoded, export.Message, StringComparison.Ordinal);
        var flatten = await Assert.ThrowsAsync<DigestMismatchException>(() => damaged.FlattenAsync());
        Assert.Contains(layer.Digest.Encoded, flatten.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compressed_layer_whose_diff_id_differs_fails_export_and_flatten()
    {
        var built = await TestLayer.BuildAsync(_dir["layer.gz"], [new("file", Encoding.ASCII.GetBytes(Original))]);
        var wrongDiffId = Digest.Compute(Encoding.ASCII.GetBytes(Original));
        var layer = new FileLayer(new FileRegion(_dir["layer.gz"], 0, built.Size, "layer.gz"), built.Digest, wrongDiffId, built.MediaType);
        var image = TestLayer.ImageOf("app", "v1", layer);

        var export = await Assert.ThrowsAsync<DigestMismatchException>(() => image.ExportAsync(Stream.Null));
        Assert.Contains(wrongDiffId.Encoded, export.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DigestMismatchException>(() => image.FlattenAsync());
    }
}
