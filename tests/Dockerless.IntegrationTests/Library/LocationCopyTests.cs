using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Library;

/// <summary><see cref="ImageLocation.CopyToAsync"/> called from a program, checked by skopeo and oci-image-tool.</summary>
public sealed class LocationCopyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_docker_archive_goes_to_a_registry_and_back_to_a_layout_with_its_digest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using (var image = TestLayer.ImageOf("api/app", "1", await TestLayer.CreateAsync(new Dictionary<string, byte[]> { ["etc/hostname"] = "api"u8.ToArray() })))
        {
            await image.WriteDockerArchiveAsync(_dir["app.tar"]);
        }
        await using var registries = new RegistryPool();

        var pushed = await (await ImageLocation.DetectAsync(_dir["app.tar"])).CopyToAsync(
            ImageLocation.ParseDestination($"docker://{server.Host}/api/app:1"), new CopyOptions { Registries = registries });
        var pulled = await ImageLocation.Parse($"docker://{server.Host}/api/app:1").CopyToAsync(
            ImageLocation.ParseDestination($"oci:{_dir["layout"]}:v1"), new CopyOptions { Registries = registries });

        Assert.Equal(pushed.Digest, pulled.Digest);
        Assert.Equal(pushed.Digest, await registries.Get(server.Host).GetDigestAsync(ImageReference.Parse($"{server.Host}/api/app:1")));
        var skopeo = await Peer.RunAsync("skopeo", ["inspect", "--raw", $"oci:{_dir["layout"]}:v1"]);
        Assert.Equal(pushed.Digest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(skopeo.TrimEnd('\n'))));
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", _dir["layout"]]);
    }

    [Fact]
    public async Task A_location_without_a_pool_opens_with_a_client_the_image_owns()
    {
        await using var server = await RegistryProcess.StartAsync();
        var destination = ImageLocation.ParseDestination($"docker://{server.Host}/api/own:1");
        await using (var image = TestLayer.ImageOf("x", "y", await TestLayer.CreateAsync(new Dictionary<string, byte[]> { ["a"] = "b"u8.ToArray() })))
        {
            await destination.WriteImageAsync(image);
        }

        await using var opened = await ImageLocation.Parse($"docker://{server.Host}/api/own:1").OpenImageAsync();
        await using var layer = await opened.Layers[0].OpenAsync();
        Assert.True(layer.ReadByte() >= 0);
    }
}
