using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Archives;

/// <summary>docker-archives we write, loaded and run by a real dockerd; docker save archives read and rewritten.</summary>
/// <remarks>The dockerd is shared: each image loaded has an id of its own (<see cref="OwnImage"/>) and is removed in <c>finally</c>.</remarks>
[Collection(DockerDaemonTests.Name)]
public sealed class DockerLoadTests(DockerDaemon docker) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The busybox base plus a layer holding /this/is/a/test1, set to cat it through Entrypoint and Cmd; with an id of its own.</summary>
    private async Task<Image> AppImageAsync(string name, string tag, [CallerMemberName] string test = "")
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, name, tag);
        image.AddLayer(await TestLayer.BuildAsync(_dir[$"app-{Guid.NewGuid():N}.tar.gz"],
            [TestEntry.Directory("this/"), TestEntry.Directory("this/is/"), TestEntry.Directory("this/is/a/"), new("this/is/a/test1", "this is test 1"u8.ToArray())]));
        image.Config.Env.Add("FOO=BAR");
        image.Config.Entrypoint = ["/bin/sh", "-c"];
        image.Config.Cmd = ["cat /this/is/a/test1"];
        OwnImage.Label(image, test);
        return image;
    }

    private async Task<List<string>> DockerDiffIdsAsync(string reference)
        => JsonSerializer.Deserialize<List<string>>(await docker.RunAsync("image", "inspect", "--format", "{{json .RootFS.Layers}}", reference))!;

    [Fact]
    public async Task A_written_archive_is_loaded_by_docker_and_runs_its_entrypoint_and_cmd()
    {
        var image = await AppImageAsync("dockerless-test/run", "v1");
        await image.WriteFileAsync(_dir["app.tar"]);

        try
        {
            var load = await docker.RunAsync("load", "-i", _dir["app.tar"]);
            Assert.Contains("dockerless-test/run:v1", load, StringComparison.Ordinal);
            Assert.Equal("this is test 1", (await docker.RunAsync("run", "--rm", "--network=none", "dockerless-test/run:v1")).Trim());
            Assert.Equal(BusyboxImage.DataText, await docker.RunAsync("run", "--rm", "--network=none", "dockerless-test/run:v1", "cat /data/hello.txt"));
            Assert.Equal(image.Layers.Select(l => l.DiffId.ToString()), await DockerDiffIdsAsync("dockerless-test/run:v1"));
        }
        finally
        {
            await docker.RemoveImageAndContainersAsync(OwnImage.IdOf(image));
        }
    }

    [Fact]
    public async Task Several_images_in_one_archive_are_all_loaded()
    {
        var app = await AppImageAsync("dockerless-test/multi-app", "v1");
        var plain = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/multi-base", "v2");
        var plainId = OwnImage.Label(plain);
        await Image.WriteFileAsync(_dir["two.tar"], [app, plain]);

        try
        {
            var load = await docker.RunAsync("load", "-i", _dir["two.tar"]);
            Assert.Contains("dockerless-test/multi-app:v1", load, StringComparison.Ordinal);
            Assert.Contains("dockerless-test/multi-base:v2", load, StringComparison.Ordinal);
            Assert.Equal("hi", (await docker.RunAsync("run", "--rm", "--network=none", "dockerless-test/multi-base:v2", "echo", "hi")).Trim());
        }
        finally
        {
            await docker.RemoveImageAndContainersAsync(OwnImage.IdOf(app));
            await docker.RemoveImageAndContainersAsync(plainId);
        }
    }

    [Fact]
    public async Task A_docker_save_archive_is_read_and_rewritten_with_the_same_digests()
    {
        var ours = await AppImageAsync("dockerless-test/saved", "v1");
        await ours.WriteFileAsync(_dir["ours.tar"]);
        try
        {
            await docker.RunAsync("load", "-i", _dir["ours.tar"]);
            var id = (await docker.RunAsync("image", "inspect", "--format", "{{.Id}}", "dockerless-test/saved:v1")).Trim();
            await docker.RunAsync("tag", "dockerless-test/saved:v1", "dockerless-test/saved:other");
            await docker.RunAsync("save", "-o", _dir["saved.tar"], "dockerless-test/saved:v1", "dockerless-test/saved:other");

            var loaded = Assert.Single(await Image.LoadAsync(_dir["saved.tar"]));
            Assert.Equal("dockerless-test/saved", loaded.Name);
            Assert.Equal(["other", "v1"], loaded.Tags.Order());
            var diffIds = await DockerDiffIdsAsync("dockerless-test/saved:v1");
            Assert.Equal(diffIds, loaded.Layers.Select(l => l.Digest.ToString()));
            Assert.Equal(id, Digest.Compute(loaded.GetConfigBytes()).ToString());

            loaded.Tags.Clear();
            loaded.Tag = "rewritten";
            await loaded.WriteFileAsync(_dir["rewritten.tar"]);
            await docker.RunAsync("load", "-i", _dir["rewritten.tar"]);
            Assert.Equal(id, (await docker.RunAsync("image", "inspect", "--format", "{{.Id}}", "dockerless-test/saved:rewritten")).Trim());
            var reread = Assert.Single(await Image.LoadAsync(_dir["rewritten.tar"]));
            Assert.Equal(diffIds, reread.Layers.Select(l => l.Digest.ToString()));
            Assert.Equal("this is test 1", (await docker.RunAsync("run", "--rm", "--network=none", "dockerless-test/saved:rewritten")).Trim());

            // Docker's config bytes, in a new OCI manifest with the layers as plain OCI tars.
            await loaded.WriteOciLayoutAsync(_dir["layout"]);
            await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=rewritten", _dir["layout"]]);
        }
        finally
        {
            // Every name the test gives it (v1, other, rewritten) is of this one id.
            await docker.RemoveImageAndContainersAsync(OwnImage.IdOf(ours));
        }
    }

    [Fact]
    public async Task A_gzip_layer_tar_as_the_dotnet_sdk_writes_is_read()
    {
        var image = await AppImageAsync("dockerless-test/sdk", "v1");
        // The .NET SDK puts the gzip blob itself at <digest>/layer.tar; docker load accepts it.
        var layers = image.Layers.Select(l => $"{l.Digest.Encoded}/layer.tar").ToList();
        var config = image.GetConfigBytes();
        await using (var output = File.Create(_dir["sdk.tar"]))
        await using (var tar = new System.Formats.Tar.TarWriter(output, System.Formats.Tar.TarEntryFormat.Pax))
        {
            async Task AddAsync(string name, Stream data) => await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = data });
            for (var i = 0; i < layers.Count; i++) await AddAsync(layers[i], await image.Layers[i].OpenAsync());
            await AddAsync("config.json", new MemoryStream(config));
            await AddAsync("manifest.json", new MemoryStream(Encoding.UTF8.GetBytes(
                $"[{{\"Config\":\"config.json\",\"RepoTags\":[\"dockerless-test/sdk:v1\"],\"Layers\":{JsonSerializer.Serialize(layers)}}}]")));
        }

        var loaded = Assert.Single(await Image.LoadAsync(_dir["sdk.tar"]));
        Assert.Equal(image.Layers.Select(l => l.Digest), loaded.Layers.Select(l => l.Digest));
        Assert.All(loaded.Layers, l => Assert.Equal(LayerCompression.Gzip, l.Compression));
        await loaded.WriteFileAsync(_dir["plain.tar"]);
        try
        {
            await docker.RunAsync("load", "-i", _dir["plain.tar"]);
            Assert.Equal("this is test 1", (await docker.RunAsync("run", "--rm", "--network=none", "dockerless-test/sdk:v1")).Trim());
        }
        finally
        {
            await docker.RemoveImageAndContainersAsync(OwnImage.IdOf(loaded));
        }
    }

    [Fact]
    public async Task Without_manifest_json_docker_loads_our_legacy_files_and_so_do_we()
    {
        var image = await AppImageAsync("dockerless-test/legacy", "v1");
        await image.WriteFileAsync(_dir["full.tar"]);
        await using (var input = new System.Formats.Tar.TarReader(File.OpenRead(_dir["full.tar"])))
        await using (var output = new System.Formats.Tar.TarWriter(File.Create(_dir["legacy.tar"])))
        {
            while (await input.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.Name != "manifest.json") await output.WriteEntryAsync(entry);
            }
        }

        try
        {
            await docker.RunAsync("load", "-i", _dir["legacy.tar"]);
            Assert.Equal("this is test 1", (await docker.RunAsync("run", "--rm", "--network=none", "dockerless-test/legacy:v1")).Trim());
        }
        finally
        {
            // docker's legacy loader makes a config of its own from the v1 files: the image is known by its name.
            await docker.RemoveImageAndContainersAsync("dockerless-test/legacy:v1");
        }
        var loaded = Assert.Single(await Image.LoadAsync(_dir["legacy.tar"]));
        Assert.Equal(("dockerless-test/legacy", "v1"), (loaded.Name, loaded.Tag));
        Assert.Equal(image.Layers.Select(l => l.DiffId), loaded.Layers.Select(l => l.DiffId));
        Assert.Equal(image.Config.Cmd, loaded.Config.Cmd);
    }
}
