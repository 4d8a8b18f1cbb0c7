using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>An index made by <c>index create</c> pulled by the real dockerd, one platform at a time, and the host's run.</summary>
[Collection(DockerDaemonTests.Name)]
public sealed class IndexDockerPullTests(DockerDaemon daemon)
{
    [Fact]
    public async Task Docker_pulls_each_platform_of_a_created_index_and_runs_the_hosts()
    {
        await using var registry = await RegistryProcess.StartAsync();
        await using var client = new Registry($"http://{registry.Host}");
        using var dir = new TempDirectory();
        string id;
        await using (var busybox = await BusyboxImage.BuildAsync(dir.Path))
        {
            busybox.Platform = Platform.Host;
            id = OwnImage.Label(busybox);
            await busybox.WriteDockerArchiveAsync(dir["host.tar"]);
        }
        var other = Platform.Host.Architecture == "arm64" ? "linux/amd64" : "linux/arm64";
        await IndexVerbTests.PushAsync(client, $"{registry.Host}/app:other", other);
        var reference = $"{registry.Host}/multi:{Guid.NewGuid():N}";
        await CliTool.SucceedAsync(["index", "create", reference, $"docker-archive:{dir["host.tar"]}", $"{registry.Host}/app:other"]);
        try
        {
            await daemon.RunAsync("pull", "--platform", other, reference);
            Assert.Equal(Platform.Parse(other).Architecture, (await daemon.RunAsync("image", "inspect", "--format", "{{.Architecture}}", reference)).Trim());
            await daemon.RunAsync("rmi", reference);

            await daemon.RunAsync("pull", "--platform", Platform.Host.ToString(), reference);
            Assert.Equal(id, (await daemon.RunAsync("image", "inspect", "--format", "{{.Id}}", reference)).Trim());
            Assert.Equal(BusyboxImage.DataText, await daemon.RunAsync("run", "--rm", "--network=none", reference, "cat", "/data/hello.txt"));
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
            await daemon.TryRunAsync("rmi", reference);
        }
    }
}
