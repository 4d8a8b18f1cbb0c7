using Dockerless.Building;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Building;

/// <summary>The builder's rules that need no daemon to check (the differential tests compare the rest with docker build).</summary>
public sealed class DockerfileBuilderTests : IDisposable
{
    private readonly TempDirectory _context = new();
    private readonly TempDirectory _cache = new();

    public DockerfileBuilderTests() => Options = new() { SourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(1_000), CacheDirectory = _cache.Path };

    private BuildOptions Options { get; }

    public void Dispose()
    {
        _context.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public async Task A_rebuild_takes_unchanged_layers_from_the_cache_and_rebuilds_from_a_changed_source()
    {
        File.WriteAllText(_context["a.txt"], "a");
        File.WriteAllText(_context["b.txt"], "b");
        const string Dockerfile = "FROM scratch\nCOPY a.txt /\nENV X=1\nCOPY b.txt /\n";
        Digest first;
        await using (var image = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options)) first = image.GetDigest();

        var states = new List<BuildStepProgress>();
        var progress = new Recorder(states);
        await using (var image = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options with { Progress = progress }))
        {
            Assert.Equal(first, image.GetDigest());
        }
        Assert.Equal([BuildStepState.Cached, BuildStepState.Cached], states.Where(s => s.Instruction.StartsWith("COPY", StringComparison.Ordinal)).Select(s => s.State));

        states.Clear();
        File.WriteAllText(_context["b.txt"], "changed");
        await using (var image = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options with { Progress = progress }))
        {
            Assert.NotEqual(first, image.GetDigest());
        }
        Assert.Equal([BuildStepState.Cached, BuildStepState.Done], states.Where(s => s.Instruction.StartsWith("COPY", StringComparison.Ordinal)).Select(s => s.State));

        states.Clear();
        await using (var image = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options with { Progress = progress, NoCache = true })) { }
        Assert.DoesNotContain(states, s => s.State == BuildStepState.Cached);
    }

    private static (int Uid, int Gid) Owner(System.Formats.Tar.TarEntry entry) => (entry.Uid, entry.Gid);

    /// <summary>Collects progress as it is reported (Progress&lt;T&gt; would post it later).</summary>
    private sealed class Recorder(List<BuildStepProgress> states) : IProgress<BuildStepProgress>
    {
        public void Report(BuildStepProgress value)
        {
            if (value.State != BuildStepState.Started) lock (states) states.Add(value);
        }
    }

    [Fact]
    public async Task Names_in_chown_come_from_the_stage_own_passwd_and_group()
    {
        File.WriteAllText(_context["passwd"], "root:x:0:0::/root:/bin/sh\nweb:x:33:34::/var/www:/bin/sh\n");
        File.WriteAllText(_context["group"], "root:x:0:\nwww:x:34:\nops:x:70:\n");
        File.WriteAllText(_context["a.txt"], "a");
        const string Dockerfile = "FROM scratch\nCOPY passwd group /etc/\nCOPY --chown=web a.txt /one/\nCOPY --chown=web:ops a.txt /two/\n";

        await using var image = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options);

        Assert.Equal((33, 34), Owner(await LayerEntries.OneAsync(image.Layers[1], "one/a.txt")));
        Assert.Equal((33, 70), Owner(await LayerEntries.OneAsync(image.Layers[2], "two/a.txt")));
    }

    [Fact]
    public async Task An_unknown_user_fails_naming_the_line()
    {
        File.WriteAllText(_context["a.txt"], "a");
        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => DockerfileBuilder.BuildAsync("FROM scratch\n\nCOPY --chown=nobody a.txt /\n", _context.Path, Options));
        Assert.Equal("Dockerfile:3: unable to find user nobody: no matching entries in passwd file", error.Message);
    }

    [Fact]
    public async Task A_stage_the_target_does_not_need_is_not_built()
    {
        const string Dockerfile = "FROM scratch AS broken\nRUN exit 1\nFROM scratch AS wanted\nLABEL ok=1\n";
        await using var image = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options with { Target = "wanted" });
        Assert.Equal("1", image.Config.Labels["ok"]);
        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options with { Target = "broken" }));
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task A_zstd_tar_is_extracted_by_ADD()
    {
        var tar = new MemoryStream();
        await using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "inner/file.txt") { DataStream = new MemoryStream("zstd"u8.ToArray()), Mode = (UnixFileMode)0x1ED };
            await writer.WriteEntryAsync(entry);
        }
        await File.WriteAllBytesAsync(_context["archive.tar.zst"], new ZstdSharp.Compressor().Wrap(tar.ToArray()).ToArray());

        await using var image = await DockerfileBuilder.BuildAsync("FROM scratch\nADD archive.tar.zst /x/\n", _context.Path, Options);

        Assert.Equal("zstd", await LayerEntries.ContentAsync(image.Layers[0], "x/inner/file.txt"));
    }

    [Fact]
    public async Task The_same_inputs_give_the_same_digest()
    {
        File.WriteAllText(_context["a.txt"], "a");
        const string Dockerfile = "FROM scratch\nCOPY a.txt /\nENV A=1\n";
        await using var first = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options);
        await using var second = await DockerfileBuilder.BuildAsync(Dockerfile, _context.Path, Options);
        Assert.Equal(first.GetDigest(), second.GetDigest());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_000), first.Created);
    }
}
