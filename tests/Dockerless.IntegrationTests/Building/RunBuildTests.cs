using System.Text;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Building;

/// <summary>
/// What RUN promises beyond the differential corpus: a failed command's output and place, heredocs
/// (docker 20.10's frontend has none to compare with), secrets that never reach the image, cache
/// mounts kept between builds, the step cache, the context a rw bind leaves alone, and a RUN for
/// another architecture refused. Runs with runc on a busybox base built once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunBuildTests(RunBuildTests.BusyboxBase busybox) : IClassFixture<RunBuildTests.BusyboxBase>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_failed_RUN_shows_its_output_then_names_the_command_exit_code_and_line()
    {
        var context = Context($"FROM {busybox.Location}\nENV A=1\nRUN echo about to fail && exit 3\n");

        var result = await CliTool.RunAsync("build", context, "-t", $"oci:{_dir["out"]}:1");

        Assert.Equal(1, result.ExitCode);
        var failure = "dockerless: Dockerfile:3: process \"/bin/sh -c echo about to fail && exit 3\" did not complete successfully: exit code: 3";
        Assert.Equal(failure, result.Error.Split('\n').Last(l => l.Length > 0));
        Assert.True(result.Error.IndexOf("about to fail\n", StringComparison.Ordinal) is >= 0 and var at && at < result.Error.IndexOf(failure, StringComparison.Ordinal), result.Error);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
    }

    [Fact]
    public async Task Heredocs_run_as_BuildKit_runs_them()
    {
        const string Dockerfile = "FROM BASE\nRUN <<EOF\necho first > /one.txt\necho second >> /one.txt\nEOF\nRUN <<EOF\n#!/bin/sh\necho \"script $0\" > /script.txt\nEOF\nRUN cat <<EOF > /cat.txt\nline\n\ttabbed\nEOF\nRUN <<-EOF\n\techo chomped > /chomped.txt\n\tEOF\n";

        await using var image = await BuildAsync(Dockerfile.Replace("BASE", busybox.Location, StringComparison.Ordinal));

        Assert.Equal("first\nsecond\n", await ReadAsync(image, "one.txt"));
        Assert.Equal("script /dev/pipes/EOF\n", await ReadAsync(image, "script.txt"));
        Assert.Equal("line\n\ttabbed\n", await ReadAsync(image, "cat.txt"));
        Assert.Equal("chomped\n", await ReadAsync(image, "chomped.txt"));
        Assert.Equal(
            ["RUN /bin/sh -c echo first > /one.txt\necho second >> /one.txt\n # buildkit", "RUN /bin/sh -c /dev/pipes/EOF # buildkit",
             "RUN /bin/sh -c cat <<EOF > /cat.txt\nline\n\ttabbed\nEOF # buildkit", "RUN /bin/sh -c echo chomped > /chomped.txt\n # buildkit"],
            image.History.Skip(image.History.Count - 4).Select(h => h.CreatedBy));
    }

    [Fact]
    public async Task A_secret_is_mounted_for_its_RUN_only_and_never_reaches_the_image()
    {
        File.WriteAllText(_dir["token"], "s3cret-value\n");
        var secrets = new Dictionary<string, string> { ["tok"] = _dir["token"] };
        var dockerfile = $"FROM {busybox.Location}\n"
            + "RUN --mount=type=secret,id=tok read v < /run/secrets/tok && test ${#v} = 12 && echo ok > /file.txt\n"
            + "RUN --mount=type=secret,id=tok,env=TOKEN test ${#TOKEN} = 13 && echo ok > /env.txt\n";

        await using var image = await BuildAsync(dockerfile, secrets);

        Assert.Equal("ok\n", await ReadAsync(image, "file.txt"));
        Assert.Equal("ok\n", await ReadAsync(image, "env.txt"));
        Assert.DoesNotContain("s3cret", Encoding.UTF8.GetString(image.GetRawConfig().Span), StringComparison.Ordinal);
        foreach (var layer in image.Layers)
        {
            await using var stream = await layer.OpenUncompressedAsync();
            using var text = new StreamReader(stream, Encoding.Latin1);
            Assert.DoesNotContain("s3cret", await text.ReadToEndAsync(), StringComparison.Ordinal);
        }
        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => BuildAsync($"FROM {busybox.Location}\nRUN --mount=type=secret,id=other,required=true true\n", secrets));
        Assert.Equal("Dockerfile:2: RUN --mount=type=secret: secret other not found: pass it with --secret id=other,src=FILE", error.Message);
    }

    [Fact]
    public async Task A_cache_mount_keeps_its_contents_between_builds_and_out_of_the_image()
    {
        var dockerfile = $"FROM {busybox.Location}\nRUN --mount=type=cache,target=/var/cache/c echo x >> /var/cache/c/n && cat /var/cache/c/n > /count.txt\n";

        await using (var first = await BuildAsync(dockerfile, noCache: true)) Assert.Equal("x\n", await ReadAsync(first, "count.txt"));
        await using var second = await BuildAsync(dockerfile, noCache: true);

        Assert.Equal("x\nx\n", await ReadAsync(second, "count.txt"));
        Assert.DoesNotContain(await NamesAsync(second.Layers[^1]), n => n.StartsWith("var/cache/c/", StringComparison.Ordinal) && n != "var/cache/c/");
    }

    [Fact]
    public async Task A_rebuild_takes_RUN_from_the_step_cache_until_a_file_it_binds_changes()
    {
        var context = Context($"FROM {busybox.Location}\nRUN --mount=type=bind,source=in.txt,target=/in.txt cat /in.txt > /out.txt\n", ("in.txt", "one\n"));

        var states = new List<BuildStepState>();
        async Task<string> BuildOnceAsync()
        {
            states.Clear();
            var progress = new SynchronousProgress(p => { if (p.State != BuildStepState.Started) states.Add(p.State); });
            await using var image = await DockerfileBuilder.BuildFileAsync(Path.Combine(context, "Dockerfile"), context, Options() with { Progress = progress });
            return await ReadAsync(image, "out.txt");
        }

        Assert.Equal("one\n", await BuildOnceAsync());
        Assert.Equal(BuildStepState.Done, states[^1]);
        Assert.Equal("one\n", await BuildOnceAsync());
        Assert.Equal(BuildStepState.Cached, states[^1]);
        File.WriteAllText(Path.Combine(context, "in.txt"), "two\n");
        Assert.Equal("two\n", await BuildOnceAsync());
        Assert.Equal(BuildStepState.Done, states[^1]);
    }

    [Fact]
    public async Task A_rw_bind_mount_writes_to_a_copy_never_into_the_context()
    {
        var context = Context($"FROM {busybox.Location}\nRUN --mount=type=bind,target=/ctx,rw echo scribbled > /ctx/a.txt && cat /ctx/a.txt > /seen.txt\n", ("a.txt", "original\n"));

        await using var image = await DockerfileBuilder.BuildFileAsync(Path.Combine(context, "Dockerfile"), context, Options());

        Assert.Equal("scribbled\n", await ReadAsync(image, "seen.txt"));
        Assert.Equal("original\n", File.ReadAllText(Path.Combine(context, "a.txt")));
    }

    [Fact]
    public async Task A_RUN_for_another_architecture_is_refused_by_name()
    {
        var other = Platform.Host.Architecture == "arm64" ? "amd64" : "arm64";

        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => BuildAsync($"FROM --platform=linux/{other} scratch\nRUN true\n"));

        Assert.Equal(2, error.Line);
        Assert.Contains($"RUN for linux/{other} cannot run on this linux/{Platform.Host.Architecture} machine", error.Message, StringComparison.Ordinal);
    }

    private BuildOptions Options(IReadOnlyDictionary<string, string>? secrets = null, bool noCache = false) => new()
    {
        CacheDirectory = busybox.CacheDirectory,
        Secrets = secrets ?? new Dictionary<string, string>(),
        NoCache = noCache,
        RunExecutor = new OciRunExecutor(Dockerless.Running.OciRuntime.Find("runc")),
    };

    private Task<Image> BuildAsync(string dockerfile, IReadOnlyDictionary<string, string>? secrets = null, bool noCache = false)
        => DockerfileBuilder.BuildAsync(dockerfile, Context(""), Options(secrets, noCache));

    /// <summary>A context directory with a Dockerfile and files.</summary>
    private string Context(string dockerfile, params (string Name, string Text)[] files)
    {
        var context = Directory.CreateDirectory(_dir[Guid.NewGuid().ToString("N")[..8]]).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(context, name), text);
        return context;
    }

    /// <summary>The text of <paramref name="path"/> in the image's top layer that holds it.</summary>
    private static async Task<string> ReadAsync(Image image, string path)
    {
        for (var i = image.Layers.Count - 1; i >= 0; i--)
        {
            await using var stream = await image.Layers[i].OpenUncompressedAsync();
            using var reader = new System.Formats.Tar.TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.Name == path && entry.DataStream is { } data) return await new StreamReader(data).ReadToEndAsync();
            }
        }
        throw new InvalidOperationException($"{path} is in no layer");
    }

    private static async Task<List<string>> NamesAsync(Layer layer)
    {
        await using var stream = await layer.OpenUncompressedAsync();
        using var reader = new System.Formats.Tar.TarReader(stream);
        var names = new List<string>();
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        return names;
    }

    private sealed class SynchronousProgress(Action<BuildStepProgress> report) : IProgress<BuildStepProgress>
    {
        public void Report(BuildStepProgress value)
        {
            lock (this) report(value);
        }
    }

    /// <summary>The busybox base, as an OCI layout, and a step cache the class's builds share.</summary>
    public sealed class BusyboxBase : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _dir = new();

        /// <summary>The base as a FROM names it.</summary>
        public string Location => $"oci:{_dir["base"]}:1";

        public string CacheDirectory => _dir["cache"];

        public async Task InitializeAsync()
        {
            Peer.Require("runc");
            await using var image = await BusyboxImage.BuildAsync(_dir.Path);
            image.Tag = "1";
            await image.WriteOciLayoutAsync(_dir["base"]);
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose() => _dir.Dispose();
    }
}
