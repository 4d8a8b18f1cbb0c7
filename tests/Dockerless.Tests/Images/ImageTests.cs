using System.Text;

namespace Dockerless.Tests.Images;

public class ImageTests
{
    // A Docker-style config with fields Dockerless does not model and Go's formatting.
    private const string DockerConfig =
        """{"architecture":"amd64","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"ArgsEscaped":true},"container_config":{"Hostname":"x"},"created":"2024-01-02T03:04:05.123456789Z","docker_version":"20.10.0","history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD file"}],"os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""";

    private const string History = "\"history\":[{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"ADD file\"}]";

    private static string WithoutHistory => DockerConfig.Replace(History + ",", "", StringComparison.Ordinal);

    [Fact]
    public void An_unedited_config_keeps_its_original_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes(DockerConfig);
        var image = Image.FromParts(bytes, [], "test");
        Assert.Same(bytes, image.GetConfigBytes());
    }

    [Fact]
    public void An_edited_config_keeps_unknown_fields()
    {
        var image = Image.FromParts(Encoding.UTF8.GetBytes(DockerConfig), [], "test");
        image.Config.Env.Add("FOO=BAR");
        var json = Encoding.UTF8.GetString(image.GetConfigBytes());
        Assert.Contains("\"FOO=BAR\"", json, StringComparison.Ordinal);
        Assert.Contains("\"docker_version\":\"20.10.0\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ArgsEscaped\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"container_config\":{\"Hostname\":\"x\"}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_the_history_of_a_config_without_one_changes_nothing()
    {
        var bytes = Encoding.UTF8.GetBytes(WithoutHistory);
        var image = Image.FromParts(bytes, [], "test");
        Assert.Empty(image.History);
        Assert.Empty(image.Configuration.History);
        Assert.Same(bytes, image.GetConfigBytes());
        // Edited, the config still says nothing of a history it does not have.
        image.Config.Env.Add("FOO=BAR");
        Assert.DoesNotContain("\"history\"", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_then_removing_a_layer_gives_back_a_config_without_history()
    {
        var bytes = Encoding.UTF8.GetBytes(WithoutHistory);
        var image = Image.FromParts(bytes, [], "test");
        image.AddLayer(await Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["a.txt"] = [1] }));
        Assert.Contains("\"history\"", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
        image.RemoveLayer();
        Assert.Same(bytes, image.GetConfigBytes());
    }

    [Theory]
    [InlineData("\"docker_version\":\"\\ud800\"")]
    [InlineData("\"docker_version\":{\"\\udc00x\":1}")]
    [InlineData("\"docker_version\":\"\\udc00\\ud800\"")]
    public void A_lone_surrogate_escape_in_an_unknown_field_is_a_format_error(string field)
    {
        // Kept unread, such a field would fail only when the config is written, as InvalidOperationException.
        var bytes = Encoding.UTF8.GetBytes(DockerConfig.Replace("\"docker_version\":\"20.10.0\"", field, StringComparison.Ordinal));
        var e = Assert.Throws<InvalidImageFormatException>(() => Image.FromParts(bytes, [], "base.tar"));
        Assert.Contains("base.tar", e.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_in_an_unknown_field_are_a_format_error()
    {
        var bytes = Encoding.UTF8.GetBytes(DockerConfig);
        bytes[DockerConfig.IndexOf("20.10.0", StringComparison.Ordinal)] = 0xC8;
        var e = Assert.Throws<InvalidImageFormatException>(() => Image.FromParts(bytes, [], "base.tar"));
        Assert.Contains("base.tar", e.Message, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_escape_is_kept()
    {
        var bytes = Encoding.UTF8.GetBytes(DockerConfig.Replace("20.10.0", "\\ud83d\\ude00", StringComparison.Ordinal));
        var image = Image.FromParts(bytes, [], "test");
        Assert.Same(bytes, image.GetConfigBytes());
    }

    [Fact]
    public void A_null_history_reads_as_empty()
    {
        var bytes = Encoding.UTF8.GetBytes(DockerConfig.Replace(History, "\"history\":null", StringComparison.Ordinal));
        var image = Image.FromParts(bytes, [], "test");
        Assert.Empty(image.History);
        image.Configuration.History = null!;
        Assert.Empty(image.History);
        Assert.Same(bytes, image.GetConfigBytes());
    }

    [Fact]
    public void A_config_whose_diff_ids_do_not_match_the_layers_is_refused()
    {
        var config = DockerConfig.Replace("\"diff_ids\":[]", $"\"diff_ids\":[\"{Digest.Compute([])}\"]", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidImageFormatException>(() => Image.FromParts(Encoding.UTF8.GetBytes(config), [], "base.tar"));
        Assert.Contains("base.tar", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scratch_is_reproducible_and_honours_the_name_and_tag()
    {
        var a = Image.Scratch("other", "v2");
        var b = Image.Scratch("other", "v2");
        Assert.Equal("other", a.Name);
        Assert.Equal("v2", a.Tag);
        Assert.Empty(a.Layers);
        Assert.Equal(a.GetConfigBytes(), b.GetConfigBytes());
        Assert.Equal(a.GetManifest(a.GetConfigBytes()).Digest, b.GetManifest(b.GetConfigBytes()).Digest);
        Assert.Equal(MediaTypes.OciManifest, a.GetManifest(a.GetConfigBytes()).MediaType);
    }

    [Fact]
    public void A_null_name_or_tag_is_an_argument_error_not_a_null_reference_later()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => Image.Scratch(null!)).ParamName);
        Assert.Equal("tag", Assert.Throws<ArgumentNullException>(() => Image.Scratch("app", null!)).ParamName);
        var image = Image.Scratch("app", "1");
        Assert.Throws<ArgumentNullException>(() => image.Name = null!);
        Assert.Throws<ArgumentNullException>(() => image.Tag = null!);
        Assert.Equal("app:1 (" + image.Platform + ", 0 layers)", image.ToString());
    }

    [Fact]
    public async Task A_null_among_the_images_to_write_is_an_argument_error()
    {
        var image = Image.Scratch("app", "1");
        var path = Path.Combine(Path.GetTempPath(), $"dockerless-null-image-{Guid.NewGuid():N}");
        Assert.Equal("images", (await Assert.ThrowsAsync<ArgumentException>(() => Image.WriteFileAsync(path, [image, null!]))).ParamName);
        Assert.Equal("images", (await Assert.ThrowsAsync<ArgumentException>(() => Image.WriteOciLayoutAsync(path, [null!]))).ParamName);
        Assert.Equal("images", (await Assert.ThrowsAsync<ArgumentException>(() => Image.WriteOciArchiveAsync(path, [image, null!]))).ParamName);
        Assert.False(Path.Exists(path));
    }

    [Fact]
    public void Tag_is_the_first_of_tags()
    {
        var image = Image.Scratch("app", "");
        Assert.Equal("", image.Tag);
        image.Tag = "1";
        image.Tags.Add("latest");
        image.Tag = "2";
        Assert.Equal(["2", "latest"], image.Tags);
    }

    [Fact]
    public void Manifests_Dockerless_writes_keep_plus_signs_in_media_types()
    {
        var image = Image.Scratch("app", "1");
        var json = Encoding.UTF8.GetString(image.GetManifest(image.GetConfigBytes()).Bytes);
        Assert.Contains("\"application/vnd.oci.image.manifest.v1+json\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Times_are_written_as_rfc3339_utc_like_go_writes_them()
    {
        var image = Image.Scratch("app", "1");
        image.Created = new DateTimeOffset(2024, 1, 2, 5, 4, 5, 500, TimeSpan.FromHours(2));
        var json = Encoding.UTF8.GetString(image.GetConfigBytes());
        Assert.Contains("\"created\":\"2024-01-02T03:04:05.5Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_nobody_changed_keeps_its_text_and_a_changed_one_is_written_anew()
    {
        // Go writes nanoseconds and any offset; DateTimeOffset holds 100 ns.
        var config = """{"created":"2024-01-02T05:04:05.123456789+02:00","history":[{"created":"2024-01-02T03:04:05.987654321Z","created_by":"x"}],"rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();
        await using var image = Image.FromParts(config, [], "test");
        image.Config.Env.Add("A=1");
        image.Created = image.Created;
        var json = Encoding.UTF8.GetString(image.GetConfigBytes());
        Assert.Contains("\"created\":\"2024-01-02T05:04:05.123456789+02:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"created\":\"2024-01-02T03:04:05.987654321Z\"", json, StringComparison.Ordinal);

        image.History[0].Created = image.History[0].Created!.Value.AddSeconds(1);
        Assert.Contains("\"created\":\"2024-01-02T03:04:06.9876543Z\"", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
    }
}
