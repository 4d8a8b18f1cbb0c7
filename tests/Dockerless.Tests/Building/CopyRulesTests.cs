using Dockerless.Building;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Building;

/// <summary>
/// COPY's rules that docker 20.10 cannot check (flags newer than its BuildKit: --parents,
/// --exclude, heredocs), or that are about safety: what each layer holds, path by path.
/// </summary>
public sealed class CopyRulesTests : IDisposable
{
    private readonly TempDirectory _context = new();
    private readonly TempDirectory _cache = new();

    public CopyRulesTests()
    {
        Directory.CreateDirectory(_context["src/app/lib"]);
        File.WriteAllText(_context["src/app/main.txt"], "main");
        File.WriteAllText(_context["src/app/lib/util.txt"], "util");
        File.WriteAllText(_context["src/app/lib/skip.log"], "log");
        File.WriteAllText(_context["a.txt"], "a");
    }

    public void Dispose()
    {
        _context.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public async Task Parents_keeps_the_source_path_and_a_dot_segment_cuts_it()
    {
        Assert.Equal(["out/src/app/main.txt"], await FilesAsync("COPY --parents src/app/main.txt /out/"));
        Assert.Equal(["out/app/main.txt"], await FilesAsync("COPY --parents src/./app/main.txt /out/"));
    }

    [Fact]
    public async Task Exclude_leaves_out_what_its_patterns_match_under_the_source()
    {
        Assert.Equal(["dst/lib/util.txt", "dst/main.txt"], await FilesAsync("COPY --exclude=*.log --exclude=lib/skip* src/app /dst/"));
    }

    [Fact]
    public async Task A_heredoc_becomes_a_file_with_variables_expanded_unless_quoted()
    {
        var image = await BuildAsync("FROM scratch\nENV WHO=world\nCOPY <<EOF /greeting\nhello $WHO\nEOF\nCOPY <<'RAW' /raw\nhello $WHO\nRAW\n");
        await using (image)
        {
            Assert.Equal("hello world\n", await LayerEntries.ContentAsync(image.Layers[0], "greeting"));
            Assert.Equal("hello $WHO\n", await LayerEntries.ContentAsync(image.Layers[1], "raw"));
        }
    }

    [Fact]
    public async Task Several_sources_need_a_directory_destination()
    {
        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => BuildAsync("FROM scratch\nCOPY a.txt src/app/main.txt /file\n"));
        Assert.Equal("Dockerfile:2: When using COPY with more than one source file, the destination must be a directory and end with a /", error.Message);
    }

    [Fact]
    public async Task A_wildcard_that_matches_nothing_fails_naming_it()
    {
        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => BuildAsync("FROM scratch\nCOPY *.none /x/\n"));
        Assert.Equal("Dockerfile:2: COPY failed: \"*.none\" not found in the build context", error.Message);
    }

    [Fact]
    public async Task A_symlink_in_the_context_never_reaches_a_host_file_outside_it()
    {
        File.CreateSymbolicLink(_context["escape"], "/etc");
        File.CreateSymbolicLink(_context["up"], "../../../../../../etc/hostname");
        Directory.CreateDirectory(_context["etc"]);
        File.WriteAllText(_context["etc/hostname"], "inside");

        Assert.Equal(["x/hostname"], await FilesAsync("COPY escape/hostname /x/"));
        var image = await BuildAsync("FROM scratch\nCOPY up /y\n");
        await using (image) Assert.Equal("inside", await LayerEntries.ContentAsync(image.Layers[0], "y"));
    }

    [Fact]
    public async Task A_relative_destination_is_under_WORKDIR_and_a_directory_made_there_takes_files()
    {
        var image = await BuildAsync("FROM scratch\nWORKDIR /w\nCOPY a.txt .\nCOPY a.txt /made/\nCOPY a.txt /made\n");
        await using (image)
        {
            Assert.Equal(["w/a.txt"], await LayerEntries.FilesAsync(image.Layers[1]));
            Assert.Equal(["made/a.txt"], await LayerEntries.FilesAsync(image.Layers[3]));
        }
    }

    private async Task<List<string>> FilesAsync(string copy)
    {
        var image = await BuildAsync("FROM scratch\n" + copy + "\n");
        await using (image) return await LayerEntries.FilesAsync(image.Layers[^1]);
    }

    private Task<Image> BuildAsync(string dockerfile) =>
        DockerfileBuilder.BuildAsync(dockerfile, _context.Path, new BuildOptions { CacheDirectory = _cache.Path });
}
