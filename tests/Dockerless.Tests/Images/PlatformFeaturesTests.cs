using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Images;

/// <summary>A config's <c>os.features</c> (Windows images) reach <see cref="Image.Platform"/> and the index entries written from it.</summary>
public sealed class PlatformFeaturesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Platform Windows = new() { Os = "windows", Architecture = "amd64", OsVersion = "10.0.17763.1", OsFeatures = ["win32k"] };

    [Fact]
    public void A_configs_os_features_are_part_of_the_platform()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1","os.features":["win32k"],"config":{},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var image = Image.FromParts(bytes, [], "test");
        Assert.Equal(["win32k"], image.Platform.OsFeatures!);
        Assert.Equal(Windows, image.Platform);
        Assert.Same(bytes, image.GetConfigBytes());
    }

    [Fact]
    public void Setting_the_platform_sets_or_clears_os_features()
    {
        var image = Image.Scratch(platform: Windows);
        Assert.Contains("\"os.features\":[\"win32k\"]", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
        image.Platform = Platform.Parse("linux/amd64");
        Assert.Null(image.Platform.OsFeatures);
        Assert.DoesNotContain("os.features", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layout_entry_keeps_the_images_os_features()
    {
        var image = TestLayer.ImageOf("app", "v1", await TestLayer.BuildAsync(_dir["layer"], [new("a", [1])]));
        image.Platform = Windows;
        await image.WriteOciLayoutAsync(_dir["layout"]);
        using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(_dir["layout/index.json"]));
        Assert.Equal(Windows, PlatformOf(Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray())));
    }

    [Fact]
    public async Task A_new_index_of_several_platforms_keeps_their_os_features()
    {
        var images = new List<Image>();
        foreach (var version in new[] { "10.0.17763.1", "10.0.20348.1" })
        {
            var image = TestLayer.ImageOf("app", "v1", await TestLayer.BuildAsync(_dir[version], [new("v", Encoding.UTF8.GetBytes(version))]));
            image.Platform = Windows with { OsVersion = version };
            images.Add(image);
        }
        await Image.WriteOciLayoutAsync(_dir["layout"], images);
        using var layoutIndex = JsonDocument.Parse(await File.ReadAllBytesAsync(_dir["layout/index.json"]));
        var digest = Digest.Parse(Assert.Single(layoutIndex.RootElement.GetProperty("manifests").EnumerateArray()).GetProperty("digest").GetString()!);
        using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_dir["layout"], "blobs", "sha256", digest.Encoded)));
        Assert.Equal(images.Select(i => i.Platform), index.RootElement.GetProperty("manifests").EnumerateArray().Select(PlatformOf));
        Assert.All(images, i => Assert.Equal(["win32k"], i.Platform.OsFeatures!));
    }

    private static Platform PlatformOf(JsonElement descriptor)
        => descriptor.GetProperty("platform").Deserialize<Platform>()!;
}
