namespace Dockerless.Tests.Images;

/// <summary>Building and editing an index: one image per platform, annotations, removal.</summary>
public sealed class ImageIndexEditingTests
{
    private static Image Of(string platform, string name = "app")
    {
        var image = Image.Scratch(name, "1", Platform.Parse(platform));
        image.Config.Env.Add("PLATFORM=" + platform);
        return image;
    }

    [Fact]
    public async Task Add_names_both_images_of_one_platform_arm64_v8_being_arm64()
    {
        await using var index = ImageIndex.Create([Of("linux/arm64", "first")]);
        await using var second = Of("linux/arm64/v8", "second");
        var error = Assert.Throws<DuplicatePlatformException>(() => index.Add(second));
        Assert.Contains("linux/arm64", error.Message, StringComparison.Ordinal);
        Assert.Contains("first:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("second:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_refuses_a_platform_the_index_holds_and_takes_another_variant()
    {
        await using var index = ImageIndex.Create([Of("linux/arm/v7")]);
        await using var same = Of("linux/arm/v7");
        var error = Assert.Throws<DuplicatePlatformException>(() => index.Add(same, "oci:layout:v7"));
        Assert.Contains("oci:layout:v7", error.Message, StringComparison.Ordinal);

        index.Add(Of("linux/arm/v6"));
        Assert.Equal(["linux/arm/v7", "linux/arm/v6"], index.Images.Select(i => i.Platform.ToString()));
    }

    [Fact]
    public async Task Annotations_make_an_oci_index_that_lists_them_sorted()
    {
        await using var index = ImageIndex.Create([Of("linux/amd64"), Of("linux/arm64")]);
        var plain = index.GetDigest();
        index.Annotations["z.last"] = "2";
        index.Annotations["a.first"] = "1";

        var raw = index.GetRawManifest();
        Assert.NotEqual(plain, raw.Digest);
        Assert.Equal(MediaTypes.OciIndex, raw.MediaType);
        Assert.Equal(["a.first", "z.last"], raw.Index!.Annotations!.Keys);
        Assert.Contains("\"annotations\":{\"a.first\":\"1\",\"z.last\":\"2\"}", System.Text.Encoding.UTF8.GetString(raw.Bytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovePlatform_drops_the_image_and_keeps_the_other_manifests()
    {
        await using var index = ImageIndex.Create([Of("linux/amd64"), Of("linux/arm64"), Of("linux/s390x")]);
        var kept = index.Images.Where(i => i.Platform.Architecture != "arm64").Select(i => i.GetDigest()).ToList();

        var removed = await index.RemovePlatformAsync(Platform.Parse("linux/arm64"));

        Assert.Equal("linux/arm64", Assert.Single(removed).ToString());
        Assert.Equal(kept, index.GetRawManifest().Index!.Manifests.Select(m => m.Digest));
        var error = await Assert.ThrowsAsync<PlatformNotFoundException>(() => index.RemovePlatformAsync(Platform.Parse("linux/arm64")));
        Assert.Contains("linux/amd64", error.Message, StringComparison.Ordinal);
    }
}
