using System.Text;
using CsCheck;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Tests.Hostile;
using Dockerless.Tests.Layers;
using Xunit.Abstractions;
using TempDirectory = Dockerless.IntegrationTests.Fixtures.TempDirectory;

namespace Dockerless.Tests.Fuzz;

/// <summary>Fuzzes the readers of manifests, configs and indexes, alone and inside an OCI layout and a docker-archive.</summary>
[Collection(MemoryMeasurements.Name)]
public sealed class DocumentFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Type[] LoadErrors =
    [
        typeof(InvalidImageFormatException), typeof(MissingBlobException), typeof(DigestMismatchException), typeof(PlatformNotFoundException),
        typeof(UnsafeArchivePathException), typeof(CorruptArchiveException), typeof(InvalidLayerException),
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] DockerManifest = Encoding.UTF8.GetBytes("""
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
         "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32654,"digest":"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}
        """);

    private static readonly byte[] Index = Encoding.UTF8.GetBytes("""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":7143,"digest":"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f","platform":{"architecture":"ppc64le","os":"linux"}},
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":7682,"digest":"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270","platform":{"architecture":"amd64","os":"linux","os.features":["sse4"],"variant":"v3"}}],
         "annotations":{"org.opencontainers.image.ref.name":"app:v1"}}
        """);

    private static async Task<(byte[] Config, byte[] Manifest)> SampleAsync()
    {
        await using var image = Image.Scratch("fuzz");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/hostname", "fuzz")));
        image.Configuration.Config.Env = ["PATH=/bin", "A=b"];
        var config = image.GetConfigBytes();
        return (config, image.GetManifest(config).Bytes);
    }

    [Fact]
    public async Task Manifest_reader_throws_only_InvalidImageFormatException()
    {
        var (config, manifest) = await SampleAsync();
        Fuzz.Run(output, "OriginalManifest.Parse", Mutator.Json(manifest, DockerManifest, config, Index), b => b.Length,
            bytes =>
            {
                // What the readers rely on once Parse accepted a manifest.
                var parsed = OriginalManifest.Parse(bytes, "fuzz").Manifest;
                Assert.NotNull(parsed.Config);
                Assert.NotNull(parsed.Layers);
                Assert.DoesNotContain(null, parsed.Layers);
            }, typeof(InvalidImageFormatException));
    }

    [Fact]
    public async Task Served_manifest_reader_throws_only_InvalidImageFormatException()
    {
        var (config, manifest) = await SampleAsync();
        Fuzz.Run(output, "RawManifest.Parse", Mutator.Json(manifest, DockerManifest, Index, config), b => b.Length,
            bytes => RawManifest.Parse(bytes, null, "fuzz"), typeof(InvalidImageFormatException));
    }

    [Fact]
    public async Task Config_reader_throws_only_InvalidImageFormatException()
    {
        var (config, manifest) = await SampleAsync();
        var layer = RawTarLayer.Of(RawTarLayer.File("a", "a"));
        Fuzz.Run(output, "Image.FromParts", Mutator.Json(config, manifest), b => b.Length, bytes =>
        {
            var image = Image.FromParts(bytes, [layer], "fuzz");
            var again = image.GetConfigBytes();
            Assert.Equal(bytes, again);
            image.GetManifest(again);
            // An unedited config is not serialized; every config read must still serialize once edited.
            image.Config.Env.Add("FUZZ=1");
            image.GetManifest(image.GetConfigBytes());
        }, typeof(InvalidImageFormatException));
    }

    [Fact]
    public void Index_reader_throws_only_InvalidImageFormatException()
        => Fuzz.Run(output, "index reader", Mutator.Json(Index, DockerManifest), b => b.Length,
            bytes => ArchiveJsonContext.Parse(bytes, ManifestJsonContext.Default.IndexManifest, "fuzz"), typeof(InvalidImageFormatException));

    [Fact]
    public async Task Oci_layout_loader_with_a_mutated_index_json_throws_only_load_errors()
    {
        await using (var image = Image.Scratch("app", "v1"))
        {
            image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/hostname", "fuzz")));
            await image.WriteOciLayoutAsync(_dir["layout"]);
        }
        var index = await File.ReadAllBytesAsync(_dir["layout/index.json"]);
        Fuzz.RunAsync(output, "OCI layout load (index.json)", Mutator.Json(index, Index), b => b.Length, async (bytes, cancel) =>
        {
            await File.WriteAllBytesAsync(_dir["layout/index.json"], bytes, cancel);
            foreach (var loaded in await Image.LoadAsync(_dir["layout"], cancel))
            {
                await loaded.ExportAsync(Stream.Null, cancel);
            }
            await using var index = await ImageIndex.LoadAsync(_dir["layout"], cancellationToken: cancel);
            foreach (var platform in index.Images) await platform.ExportAsync(Stream.Null, cancel);
        }, LoadErrors);
    }

    [Fact]
    public async Task Docker_archive_loader_with_a_mutated_manifest_json_throws_only_load_errors()
    {
        await using (var image = Image.Scratch("app", "v1"))
        {
            image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/hostname", "fuzz")));
            await image.WriteFileAsync(_dir["good.tar"]);
        }
        var entries = await FilesOfAsync(_dir["good.tar"]);
        var manifest = entries.Single(e => e.Name == "manifest.json").Data;
        Fuzz.RunAsync(output, "docker-archive load (manifest.json)", Mutator.Json(manifest), b => b.Length,
            (bytes, cancel) => LoadWithAsync(entries, new ArchiveFile("manifest.json", bytes), cancel), LoadErrors);
    }

    [Fact]
    public async Task Legacy_docker_archive_loader_with_a_mutated_document_throws_only_load_errors()
    {
        await using (var image = Image.Scratch("app", "v1"))
        {
            image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/hostname", "fuzz")));
            image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/motd", "hello")));
            await image.WriteFileAsync(_dir["good.tar"]);
        }
        // Without manifest.json the loader reads the legacy documents: repositories, then <id>/json down the parent chain.
        var entries = (await FilesOfAsync(_dir["good.tar"])).Where(e => e.Name != "manifest.json").ToList();
        var documents = entries.Where(e => e.Name == "repositories" || e.Name.EndsWith("/json", StringComparison.Ordinal)).ToArray();
        var mutated = Gen.Int[0, documents.Length - 1].SelectMany(i => Mutator.Json(documents[i].Data).Select(bytes => new ArchiveFile(documents[i].Name, bytes)));
        Fuzz.RunAsync(output, "legacy docker-archive load (repositories, <id>/json)", mutated, f => f.Data.Length,
            (file, cancel) => LoadWithAsync(entries, file, cancel), LoadErrors);
    }

    /// <summary>One file of an archive; printed with its bytes, so that a failing case can be rebuilt.</summary>
    private sealed record ArchiveFile(string Name, byte[] Data)
    {
        public override string ToString() => $"{Name}: base64:{Convert.ToBase64String(Data)}";
    }

    /// <summary>The regular files of a tar, in order.</summary>
    private static async Task<List<ArchiveFile>> FilesOfAsync(string path)
    {
        var files = new List<ArchiveFile>();
        await using var reader = new System.Formats.Tar.TarReader(File.OpenRead(path));
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            if (entry.DataStream is null) continue;
            var data = new MemoryStream();
            await entry.DataStream.CopyToAsync(data);
            files.Add(new ArchiveFile(entry.Name, data.ToArray()));
        }
        return files;
    }

    /// <summary>Loads and exports every image of the archive made of <paramref name="files"/> with <paramref name="changed"/> in place of its namesake.</summary>
    private async Task LoadWithAsync(List<ArchiveFile> files, ArchiveFile changed, CancellationToken cancel)
    {
        var parts = files.Select(f => RawTar.File(f.Name, f.Name == changed.Name ? changed.Data : f.Data)).ToArray();
        await File.WriteAllBytesAsync(_dir["fuzz.tar"], RawTar.Archive(parts), cancel);
        foreach (var loaded in await Image.LoadAsync(_dir["fuzz.tar"], cancel))
        {
            await loaded.ExportAsync(Stream.Null, cancel);
        }
    }
}
