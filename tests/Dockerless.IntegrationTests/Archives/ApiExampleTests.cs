using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Archives;

/// <summary>The API example of the README and issue 2, run against a real dockerd.</summary>
[Collection(DockerDaemonTests.Name)]
public sealed class ApiExampleTests(DockerDaemon docker) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_issue_example_builds_an_image_that_docker_runs()
    {
        await (await BusyboxImage.BuildAsync(_dir.Path, "busybox-static", "latest")).WriteFileAsync(_dir["base.tar"]);
        Directory.CreateDirectory(_dir["app"]);
        await File.WriteAllTextAsync(_dir["app/run.sh"], "echo app\n");

        IReadOnlyList<Image> images = await Image.LoadAsync(_dir["base.tar"]);
        var image = images[0];
        image.RemoveLayer();
        image.Name = "this-is-a-test";
        image.Tag = "latest";
        image.AddLayerPath(_dir["app"], "/app");
        image.AddLayerContents(new Dictionary<string, byte[]>
        {
            ["/this/is/a/test1"] = "this is test 1"u8.ToArray(),
            ["/this/is/a/test2"] = "this is test 2"u8.ToArray(),
        });
        image.Config.Env.Add("FOO=BAR");
        image.Config.Entrypoint = ["/bin/sh", "-c"];
        image.Config.Cmd = ["cat /this/is/a/test1"];
        // Not part of the example: an image id of its own in the dockerd other tests share.
        var id = OwnImage.Label(image);
        await image.WriteFileAsync(_dir["example-docker-image.tar"]);
        await image.WriteOciLayoutAsync(_dir["layout-dir"]);
        var plain = (await Image.LoadAsync(_dir["base.tar"]))[0];
        await Image.WriteFileAsync(_dir["two.tar"], [image, plain]);
        var empty = Image.Scratch("other", "v2");

        Assert.Empty(empty.Layers);
        try
        {
            await docker.RunAsync("load", "-i", _dir["example-docker-image.tar"]);
            Assert.Equal("this is test 1", (await docker.RunAsync("run", "--rm", "--network=none", "this-is-a-test:latest")).Trim());
            Assert.Equal("app", (await docker.RunAsync("run", "--rm", "--network=none", "this-is-a-test:latest", "sh /app/run.sh")).Trim());
        }
        finally
        {
            await docker.RemoveImageAndContainersAsync(id);
        }
        await Peer.RunAsync("skopeo", ["inspect", $"docker-archive:{_dir["example-docker-image.tar"]}"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=latest", _dir["layout-dir"]]);
        var both = await Image.LoadAsync(_dir["two.tar"]);
        Assert.Equal(["this-is-a-test:latest", "busybox-static:latest"], both.Select(i => $"{i.Name}:{i.Tag}"));
    }
}
