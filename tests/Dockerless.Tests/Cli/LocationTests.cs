using Dockerless.Cli;

namespace Dockerless.Tests.Cli;

public class LocationTests
{
    [Theory]
    [InlineData("127.0.0.1:5000/app:1", "127.0.0.1:5000/app:1")]
    [InlineData("docker://127.0.0.1:5000/app:1", "127.0.0.1:5000/app:1")]
    [InlineData("alpine", "alpine")]
    [InlineData("ghcr.io/o/r@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ghcr.io/o/r@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_reference_with_or_without_docker_prefix_is_a_registry_location(string text, string reference)
    {
        var location = Assert.IsType<RegistryLocation>(ImageLocation.Parse(text));
        Assert.Equal(ImageReference.Parse(reference), location.Reference);
        Assert.Equal(text, location.ToString());
    }

    [Theory]
    [InlineData("docker-archive:out/app.tar", "out/app.tar", null)]
    [InlineData("docker-archive:/tmp/app.tar:app:1", "/tmp/app.tar", "app:1")]
    [InlineData("docker-archive:app.tar:127.0.0.1:5000/app:1", "app.tar", "127.0.0.1:5000/app:1")]
    public void Docker_archive_splits_path_and_reference_at_the_first_colon(string text, string path, string? reference)
    {
        var location = Assert.IsType<DockerArchiveLocation>(ImageLocation.ParseDestination(text));
        Assert.Equal(path, location.Path);
        Assert.Equal(reference, location.Reference);
    }

    [Fact]
    public void Oci_layout_and_archive_take_an_optional_tag()
    {
        var layout = Assert.IsType<OciLayoutLocation>(ImageLocation.Parse("oci:./layout:v1"));
        Assert.Equal(("./layout", "v1"), (layout.Path, layout.Tag));
        var noTag = Assert.IsType<OciLayoutLocation>(ImageLocation.Parse("oci:layout"));
        Assert.Null(noTag.Tag);
        var archive = Assert.IsType<OciArchiveLocation>(ImageLocation.ParseDestination("oci-archive:/tmp/x.tar:latest"));
        Assert.Equal(("/tmp/x.tar", "latest"), (archive.Path, archive.Tag));
    }

    [Fact]
    public void Docker_daemon_takes_a_reference()
    {
        var location = Assert.IsType<DaemonLocation>(ImageLocation.Parse("docker-daemon:app:1"));
        Assert.Equal("app:1", location.Reference);
    }

    [Theory]
    [InlineData("docker-daemon:--output=/tmp/x", "--output=/tmp/x")]
    [InlineData("docker-daemon:-q", "-q")]
    [InlineData("docker-daemon:Bad:Name", "Bad:Name")]
    [InlineData("docker-daemon:a..b/app", "a..b/app")]
    public void Docker_daemon_refuses_what_is_no_reference_before_the_engine_sees_it(string text, string reference)
    {
        var error = Assert.Throws<InvalidLocationException>(() => ImageLocation.Parse(text));
        Assert.StartsWith($"invalid location \"{text}\": invalid image reference \"{reference}\"", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidLocationException>(() => ImageLocation.ParseDestination(text));
    }

    [Fact]
    public void Docker_daemon_takes_an_image_id()
    {
        var id = "sha256:" + new string('0', 64);
        Assert.Equal(id, Assert.IsType<DaemonLocation>(ImageLocation.Parse("docker-daemon:" + id)).Reference);
    }

    [Fact]
    public void Scratch_is_a_source_only()
    {
        Assert.IsType<ScratchLocation>(ImageLocation.Parse("scratch"));
        var error = Assert.Throws<InvalidLocationException>(() => ImageLocation.ParseDestination("scratch"));
        Assert.Contains("source only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./app.tar")]
    [InlineData("/tmp/layout")]
    [InlineData("app.tar")]
    [InlineData(".")]
    public void A_bare_file_looking_location_is_refused_with_a_hint(string text)
    {
        var error = Assert.Throws<InvalidLocationException>(() => ImageLocation.ParseDestination(text));
        Assert.Contains($"docker-archive:{text}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"oci:{text}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker-archive:")]
    [InlineData("oci:")]
    [InlineData("docker-daemon:")]
    [InlineData("docker:app")]
    [InlineData("docker-archive:x.tar:")]
    [InlineData("docker-archive:x.tar:Bad:Name")]
    [InlineData("docker-archive:x.tar:a b")]
    [InlineData("docker-archive:x.tar:app@sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("docker-archive:x.tar:app:1@sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("")]
    public void A_malformed_location_is_a_usage_error(string text)
    {
        Assert.Throws<InvalidLocationException>(() => ImageLocation.Parse(text));
        Assert.Throws<InvalidLocationException>(() => ImageLocation.ParseDestination(text));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("1.0-rc.1")]
    [InlineData("example.com:5000/app:1")]
    [InlineData("app--x_y+z@a")]
    [InlineData("A/B")]
    public void An_oci_name_is_written_as_skopeo_takes_it(string name)
    {
        Assert.Equal(name, Assert.IsType<OciLayoutLocation>(ImageLocation.ParseDestination($"oci:out:{name}")).Tag);
        Assert.Equal(name, Assert.IsType<OciArchiveLocation>(ImageLocation.ParseDestination($"oci-archive:out.tar:{name}")).Tag);
    }

    [Theory]
    [InlineData("bad tag")]
    [InlineData("@sha256:abc")]
    [InlineData("a/")]
    [InlineData("-x")]
    [InlineData("x.")]
    [InlineData("a..b")]
    [InlineData("a---b")]
    [InlineData("a//b")]
    [InlineData("caf\u00e9")]
    public void An_oci_name_skopeo_refuses_is_a_usage_error_on_write_only(string name)
    {
        foreach (var text in new[] { $"oci:out:{name}", $"oci-archive:out.tar:{name}" })
        {
            var error = Assert.Throws<InvalidLocationException>(() => ImageLocation.ParseDestination(text));
            Assert.StartsWith($"invalid location \"{text}\": the name \"{name}\" is not one an OCI layout takes", error.Message, StringComparison.Ordinal);
            Assert.Equal(name, ((OciLocation)ImageLocation.Parse(text)).Tag);
        }
    }

    [Theory]
    [InlineData("app", "app", "latest")]
    [InlineData("app:1", "app", "1")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000/app", "latest")]
    [InlineData("127.0.0.1:5000/app:2", "127.0.0.1:5000/app", "2")]
    public void Names_and_tags_split_as_docker_names_images(string reference, string name, string tag)
    {
        Assert.Equal((name, tag), RepoTag.Split(reference));
    }

    [Fact]
    public void Short_docker_hub_names_equal_their_full_form()
    {
        Assert.True(ImageNames.Same("docker.io/library/busybox", "busybox"));
        Assert.False(ImageNames.Same("busybox", "other"));
    }
}
