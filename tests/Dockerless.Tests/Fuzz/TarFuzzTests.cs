using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Tests.Hostile;
using Dockerless.Tests.Layers;
using Xunit.Abstractions;
using TempDirectory = Dockerless.IntegrationTests.Fixtures.TempDirectory;

namespace Dockerless.Tests.Fuzz;

/// <summary>Fuzzes the tar reading paths: the layer reader (validate, export) and the archive scanner (load).</summary>
[Collection(MemoryMeasurements.Name)]
public sealed class TarFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Small layer tars in the formats layers come in: PAX, GNU, ustar, V7, with links, directories and a whiteout.</summary>
    private static byte[][] LayerCorpus() =>
    [
        Tar(TarEntryFormat.Pax), Tar(TarEntryFormat.Gnu), Tar(TarEntryFormat.Ustar), Tar(TarEntryFormat.V7),
        RawTar.Archive(RawTar.Pax(("path", "long/" + new string('p', 200)), ("mtime", "1.5")), RawTar.File("x", [1, 2, 3])),
    ];

    private static byte[] Tar(TarEntryFormat format)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, format, leaveOpen: true))
        {
            writer.WriteEntry(Entry(format, TarEntryType.Directory, "etc/"));
            var file = Entry(format, format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile, "etc/hostname");
            file.DataStream = new MemoryStream("fuzz\n"u8.ToArray());
            writer.WriteEntry(file);
            var link = Entry(format, TarEntryType.HardLink, "etc/hostname2");
            link.LinkName = "etc/hostname";
            writer.WriteEntry(link);
            var symlink = Entry(format, TarEntryType.SymbolicLink, "etc/link");
            symlink.LinkName = "../etc/hostname";
            writer.WriteEntry(symlink);
            writer.WriteEntry(Entry(format, format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile, "etc/.wh.gone"));
        }
        return stream.ToArray();
    }

    private static TarEntry Entry(TarEntryFormat format, TarEntryType type, string name) => format switch
    {
        TarEntryFormat.Pax => new PaxTarEntry(type, name),
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        _ => new V7TarEntry(type, name),
    };

    [Fact]
    public void Layer_tar_reader_throws_only_InvalidLayerException()
        => Fuzz.RunAsync(output, "LayerTarReader", Mutator.Tar(LayerCorpus()), b => b.Length,
            (bytes, cancel) => LayerTarReader.ValidateAsync(new MemoryStream(bytes), "fuzz", cancel), typeof(InvalidLayerException));

    [Fact]
    public void Export_of_a_mutated_layer_throws_only_InvalidLayerException()
        => Fuzz.RunAsync(output, "export", Mutator.Tar(LayerCorpus()), b => b.Length, async (bytes, cancel) =>
        {
            await using var image = Image.Scratch();
            image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/hostname", "base")));
            image.AddLayer(new RawTarLayer(bytes));
            await image.ExportAsync(Stream.Null, cancel);
        }, typeof(InvalidLayerException));

    [Fact]
    public async Task Archive_scan_of_a_mutated_docker_archive_throws_only_load_errors()
    {
        await using (var image = Image.Scratch("app", "v1"))
        {
            image.AddLayer(RawTarLayer.Of(RawTarLayer.File("etc/hostname", "fuzz")));
            await image.WriteFileAsync(_dir["good.tar"]);
        }
        var good = await File.ReadAllBytesAsync(_dir["good.tar"]);
        Fuzz.RunAsync(output, "archive load (whole tar)", Mutator.Tar(good), b => b.Length, async (bytes, cancel) =>
        {
            await File.WriteAllBytesAsync(_dir["fuzz.tar"], bytes, cancel);
            foreach (var loaded in await Image.LoadAsync(_dir["fuzz.tar"], cancel))
            {
                await loaded.ExportAsync(Stream.Null, cancel);
            }
        },
        typeof(CorruptArchiveException), typeof(UnsafeArchivePathException), typeof(InvalidImageFormatException), typeof(MissingBlobException),
        typeof(DigestMismatchException), typeof(InvalidLayerException), typeof(PlatformNotFoundException));
    }
}
