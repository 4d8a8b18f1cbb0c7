using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Tests.Hostile;

namespace Dockerless.Tests.Archives;

// Allocations are counted process-wide, so nothing else may run beside these tests.
[Collection(MemoryMeasurements.Name)]
public sealed class StreamingTarEntryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>An unseekable stream of zeros that does not know its length, like a decompressing stream.</summary>
    private sealed class Zeros(long length) : Stream
    {
        private long _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_stream_of_unknown_length_is_written_without_holding_it_in_memory()
    {
        const long size = 256L << 20;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var output = File.Create(_dir["big.tar"]))
        await using (var tar = new ArchiveTarWriter(output))
        {
            await tar.WriteFileAsync("a/layer.tar", new Zeros(size), CancellationToken.None);
            await tar.WriteFileAsync("b", "small"u8.ToArray(), CancellationToken.None);
        }
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < (32L << 20), "the entry's data went through memory");

        await using var reader = new TarReader(File.OpenRead(_dir["big.tar"]));
        var dir = await reader.GetNextEntryAsync();
        Assert.Equal(("a/", TarEntryType.Directory), (dir!.Name, dir.EntryType));
        var entry = await reader.GetNextEntryAsync();
        Assert.Equal(("a/layer.tar", size, 0, 0), (entry!.Name, entry.Length, entry.Uid, entry.Gid));
        Assert.Equal(TestLayer.FileMode, entry.Mode);
        Assert.Equal("b", (await reader.GetNextEntryAsync())!.Name);
        Assert.Null(await reader.GetNextEntryAsync());
    }

    [Theory]
    [InlineData(120)]
    [InlineData(300)]
    public async Task Names_longer_than_ustar_allows_are_kept(int length)
    {
        var name = "blobs/sha512/" + new string('f', length);
        await using (var output = File.Create(_dir["long.tar"]))
        await using (var tar = new ArchiveTarWriter(output))
        {
            await tar.WriteFileAsync(name, new MemoryStream("data"u8.ToArray()), CancellationToken.None);
        }
        await using var reader = new TarReader(File.OpenRead(_dir["long.tar"]));
        TarEntry? entry;
        while ((entry = await reader.GetNextEntryAsync()) is { EntryType: TarEntryType.Directory }) { }
        Assert.Equal(name, entry!.Name);
        Assert.Equal("data", new StreamReader(entry.DataStream!).ReadToEnd());
    }
}
