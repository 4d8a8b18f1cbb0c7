using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

/// <summary>An OCI layout written by several writers at once, and by writers that fail or die.</summary>
public sealed class SharedLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>app:TAG, with a second layer holding <paramref name="extra"/> when given; <paramref name="damaged"/> flips that layer's last byte on disk.</summary>
    private async Task<Image> SampleAsync(string tag, string? extra = null, bool damaged = false)
    {
        var one = await TestLayer.BuildAsync(_dir[$"one-{Guid.NewGuid():N}"], [TestEntry.Directory("etc/"), new("etc/one", "one"u8.ToArray())]);
        var image = TestLayer.ImageOf("app", tag, one);
        if (extra is not null)
        {
            var file = _dir[$"two-{Guid.NewGuid():N}"];
            image.AddLayer(await TestLayer.BuildAsync(file, [new(extra, "x"u8.ToArray())]));
            if (damaged)
            {
                var bytes = await File.ReadAllBytesAsync(file);
                bytes[^1] ^= 0xff;
                await File.WriteAllBytesAsync(file, bytes);
            }
        }
        image.Config.Env.Add($"TAG={tag}");
        return image;
    }

    private static List<string> Tags(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        return [.. index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Eight_writers_creating_one_new_layout_at_once_all_keep_their_tag()
    {
        var images = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SampleAsync($"v{i}", i % 2 == 0 ? $"file{i}" : null)));
        var layout = _dir["layout"];

        await Task.WhenAll(images.Select(image => Task.Run(() => image.WriteOciLayoutAsync(layout))));

        Assert.Equal([.. Enumerable.Range(0, 8).Select(i => $"v{i}")], Tags(layout));
        var loaded = await Image.LoadAsync(layout);
        Assert.Equal(8, loaded.Count);
        foreach (var image in loaded) Assert.Contains($"TAG={image.Tag}", image.Config.Env);
        Assert.Equal(["blobs", "index.json", "index.json.lock", "oci-layout"], Directory.EnumerateFileSystemEntries(layout).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_writer_waits_for_the_layout_lock_before_it_changes_the_index()
    {
        var layout = _dir["layout"];
        await (await SampleAsync("v1")).WriteOciLayoutAsync(layout);
        var second = await SampleAsync("v2", "two");

        Task write;
        using (await FileLock.AcquireAsync(Path.Combine(layout, "index.json.lock"), CancellationToken.None))
        {
            write = second.WriteOciLayoutAsync(layout);
            await Task.Delay(500);
            Assert.False(write.IsCompleted);
            Assert.Equal(["v1"], Tags(layout));
        }
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["v1", "v2"], Tags(layout));
    }

    [Fact]
    public async Task A_dead_writers_temporaries_are_removed_and_a_live_writers_are_kept()
    {
        var layout = _dir["layout"];
        await (await SampleAsync("v1")).WriteOciLayoutAsync(layout);
        var dead = Directory.CreateDirectory(Path.Combine(layout, ".dockerless-tmp-dead")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dead, "alive"), "");
        await File.WriteAllTextAsync(Path.Combine(dead, "sha256-0123"), "partial blob");
        var live = Directory.CreateDirectory(Path.Combine(layout, ".dockerless-tmp-live")).FullName;
        await File.WriteAllTextAsync(Path.Combine(live, "alive"), "");
        using var held = FileLock.TryAcquireExisting(Path.Combine(live, "alive"));
        Assert.NotNull(held);

        await (await SampleAsync("v2")).WriteOciLayoutAsync(layout);

        Assert.False(Directory.Exists(dead));
        Assert.True(File.Exists(Path.Combine(live, "alive")));
        Assert.Equal(["v1", "v2"], Tags(layout));
    }

    [Fact]
    public async Task A_failing_writer_beside_successful_ones_takes_no_blob_they_reference()
    {
        var layout = _dir["layout"];
        for (var round = 0; round < 5; round++)
        {
            var good = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => SampleAsync($"r{round}-{i}", $"f{round}-{i}")));
            var bad = await SampleAsync($"r{round}-bad", "damaged", damaged: true);

            var writes = good.Select(image => Task.Run(() => image.WriteOciLayoutAsync(layout))).ToList();
            var failing = Task.Run(() => bad.WriteOciLayoutAsync(layout));
            await Task.WhenAll(writes);
            await Assert.ThrowsAsync<DigestMismatchException>(() => failing);
        }

        var loaded = await Image.LoadAsync(layout);
        Assert.Equal(15, loaded.Count);
        foreach (var image in loaded)
        {
            foreach (var layer in image.Layers)
            {
                await using var stream = await layer.OpenAsync();
                await BlobCopy.DrainAsync(stream, CancellationToken.None);
            }
        }
        Assert.Empty(Directory.EnumerateDirectories(layout, ".dockerless-tmp-*"));
    }

    [Fact]
    public async Task A_failed_first_write_leaves_no_directory_and_a_user_made_directory_stays()
    {
        var bad = await SampleAsync("v1", "damaged", damaged: true);

        await Assert.ThrowsAsync<DigestMismatchException>(() => bad.WriteOciLayoutAsync(_dir["new"]));
        Assert.False(Directory.Exists(_dir["new"]));

        Directory.CreateDirectory(_dir["made"]);
        await Assert.ThrowsAsync<DigestMismatchException>(() => bad.WriteOciLayoutAsync(_dir["made"]));
        Assert.True(Directory.Exists(_dir["made"]));
        Assert.Equal(["index.json.lock"], Directory.EnumerateFileSystemEntries(_dir["made"]).Select(Path.GetFileName));
    }
}
