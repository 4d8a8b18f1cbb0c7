namespace Dockerless.Tests.References;

public class ImageReferenceTests
{
    private const string Sha = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    // input, registry, repository, tag, digest, canonical
    [InlineData("alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("alpine:3.19", "docker.io", "library/alpine", "3.19", null, "docker.io/library/alpine:3.19")]
    [InlineData("user/app", "docker.io", "user/app", "latest", null, "docker.io/user/app:latest")]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("index.docker.io/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("index.docker.io/user/app:v1", "docker.io", "user/app", "v1", null, "docker.io/user/app:v1")]
    [InlineData("docker.io/library/alpine:latest", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("library/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("a/b/c/d", "docker.io", "a/b/c/d", "latest", null, "docker.io/a/b/c/d:latest")]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest")]
    [InlineData("localhost:5000/app:dev", "localhost:5000", "app", "dev", null, "localhost:5000/app:dev")]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/app", "latest", null, "127.0.0.1:5000/team/app:latest")]
    [InlineData("127.0.0.1/app:1", "127.0.0.1", "app", "1", null, "127.0.0.1/app:1")]
    [InlineData("[::1]:5000/app:v1", "[::1]:5000", "app", "v1", null, "[::1]:5000/app:v1")]
    [InlineData("[::1]/app", "[::1]", "app", "latest", null, "[::1]/app:latest")]
    [InlineData("[2001:db8::1]:443/ns/app", "[2001:db8::1]:443", "ns/app", "latest", null, "[2001:db8::1]:443/ns/app:latest")]
    [InlineData("registry.example.com/a.b/c_d/e__f/g-h/i--j:T_a.g-1", "registry.example.com", "a.b/c_d/e__f/g-h/i--j", "T_a.g-1", null, "registry.example.com/a.b/c_d/e__f/g-h/i--j:T_a.g-1")]
    [InlineData("my-registry.example.com:8443/app", "my-registry.example.com:8443", "app", "latest", null, "my-registry.example.com:8443/app:latest")]
    [InlineData("Example.COM/app", "Example.COM", "app", "latest", null, "Example.COM/app:latest")]
    [InlineData("UPPER/app", "UPPER", "app", "latest", null, "UPPER/app:latest")]
    [InlineData("alpine@" + Sha, "docker.io", "library/alpine", null, Sha, "docker.io/library/alpine@" + Sha)]
    [InlineData("alpine:3@" + Sha, "docker.io", "library/alpine", "3", Sha, "docker.io/library/alpine:3@" + Sha)]
    [InlineData("127.0.0.1:5000/app:v1@" + Sha, "127.0.0.1:5000", "app", "v1", Sha, "127.0.0.1:5000/app:v1@" + Sha)]
    [InlineData("localhost:5000", "docker.io", "library/localhost", "5000", null, "docker.io/library/localhost:5000")]
    [InlineData("a:_tag", "docker.io", "library/a", "_tag", null, "docker.io/library/a:_tag")]
    public void Parses_and_normalises(string input, string registry, string repository, string? tag, string? digest, string canonical)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(canonical, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Alpine", "\"Alpine\" must be lowercase")]
    [InlineData("user/App", "\"App\" must be lowercase")]
    [InlineData("registry.example.com/Team/app", "\"Team\" must be lowercase")]
    [InlineData("-app", "\"-app\"")]
    [InlineData("app-", "\"app-\"")]
    [InlineData("a..b", "invalid separator \"..\"")]
    [InlineData("a___b", "invalid separator \"___\"")]
    [InlineData("a._b", "invalid separator \"._\"")]
    [InlineData("a//b", "empty component")]
    [InlineData("app/", "empty component")]
    [InlineData("ex_ample.com/app", "the host \"ex_ample.com\"")]
    [InlineData("-bad.com/app", "the host \"-bad.com\"")]
    [InlineData("bad-.com/app", "the host \"bad-.com\"")]
    [InlineData("a..com/app", "bad label \"\"")]
    [InlineData("host:port/app", "the port \"port\"")]
    [InlineData("host:/app", "the port \"\"")]
    [InlineData("localhost:65536/app", "the port \"65536\" of host \"localhost\" is not a number from 0 to 65535")]
    [InlineData("[::1]:99999/app", "the port \"99999\" of host \"[::1]\" is not a number from 0 to 65535")]
    [InlineData("host:99999999999999999999/app", "the port \"99999999999999999999\"")]
    [InlineData("[::1/app", "never closes")]
    [InlineData("[zz::1]:5000/app", "not a valid IPv6 address")]
    [InlineData("[]/app", "not a valid IPv6 address")]
    [InlineData("[::1]x/app", "text after the IPv6 address")]
    [InlineData("app:", "the tag is empty")]
    [InlineData("app:-x", "the tag \"-x\" must start")]
    [InlineData("app:.x", "the tag \".x\" must start")]
    [InlineData("app:a+b", "contains '+'")]
    [InlineData("app@", "the digest \"\" is not valid")]
    [InlineData("app@sha256:abc", "needs 64 hex digits")]
    [InlineData("app@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm \"md5\"")]
    [InlineData("app@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "lowercase hexadecimal")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "image ID")]
    [InlineData(" alpine", "\" alpine\"")]
    [InlineData("alpine ", "\"alpine \"")]
    [InlineData("@" + Sha, "the repository name is empty")]
    [InlineData(":tag", "the repository name is empty")]
    public void Rejects_and_names_the_bad_part(string input, string expected)
    {
        var error = Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(input));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(input, error.Reference);
        Assert.IsType<DockerlessException>(error, exactMatch: false);
        Assert.False(ImageReference.TryParse(input, out _));
    }

    [Fact]
    public void A_tag_of_128_characters_is_the_limit()
    {
        Assert.Equal(128, ImageReference.Parse("app:" + new string('t', 128)).Tag!.Length);
        Assert.Contains("longer than 128", Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse("app:" + new string('t', 129))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_name_may_hold_255_characters_counting_the_registry()
    {
        // "127.0.0.1:5000/" is 15 characters.
        var fits = "127.0.0.1:5000/" + new string('a', 240);
        Assert.Equal(255, ImageReference.Parse(fits).Name.Length);

        var error = Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(fits + "a"));
        Assert.Contains("longer than 255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_Hub_names_count_their_normalised_form_against_the_limit()
    {
        // docker.io/library/ adds 18 characters to a single-component name.
        Assert.True(ImageReference.TryParse(new string('a', 237), out _));
        Assert.False(ImageReference.TryParse(new string('a', 238), out _));
    }

    [Theory]
    [InlineData("alpine", "registry-1.docker.io", "alpine", "docker.io/library/alpine")]
    [InlineData("docker.io/library/alpine", "registry-1.docker.io", "alpine", "docker.io/library/alpine")]
    [InlineData("user/app", "registry-1.docker.io", "user/app", "docker.io/user/app")]
    [InlineData("library/a/b", "registry-1.docker.io", "library/a/b", "docker.io/library/a/b")]
    [InlineData("a/b", "registry-1.docker.io", "a/b", "docker.io/a/b")]
    [InlineData("x", "registry-1.docker.io", "x", "docker.io/library/x")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000", "127.0.0.1:5000/app", "127.0.0.1:5000/app")]
    [InlineData("[::1]:5000/library/app", "[::1]:5000", "[::1]:5000/library/app", "[::1]:5000/library/app")]
    public void Knows_the_API_host_and_the_familiar_name(string input, string apiHost, string familiar, string name)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(apiHost, reference.ApiHost);
        Assert.Equal(familiar, reference.FamiliarName);
        Assert.Equal(name, reference.Name);
    }

    [Fact]
    public void The_default_tag_applies_only_without_tag_and_digest()
    {
        Assert.Equal("latest", ImageReference.Parse("app").Tag);
        Assert.Null(ImageReference.Parse("app@" + Sha).Tag);
        Assert.Equal("v1", ImageReference.Parse("app:v1@" + Sha).Tag);
    }

    [Fact]
    public void Identifier_prefers_the_digest()
    {
        Assert.Equal("latest", ImageReference.Parse("app").Identifier);
        Assert.Equal("v1", ImageReference.Parse("app:v1").Identifier);
        Assert.Equal(Sha, ImageReference.Parse("app:v1@" + Sha).Identifier);
    }

    [Fact]
    public void WithTag_and_WithDigest_keep_the_other_part()
    {
        var digest = Digest.Parse(Sha);
        var reference = ImageReference.Parse("127.0.0.1:5000/app:v1");

        Assert.Equal("127.0.0.1:5000/app:v2", reference.WithTag("v2").ToString());
        Assert.Equal($"127.0.0.1:5000/app:v1@{Sha}", reference.WithDigest(digest).ToString());
        Assert.Equal($"127.0.0.1:5000/app:v2@{Sha}", reference.WithDigest(digest).WithTag("v2").ToString());
        Assert.Equal($"127.0.0.1:5000/app@{Sha}", reference.WithDigestOnly(digest).ToString());
        Assert.Contains("the tag \"bad tag\"", Assert.Throws<InvalidReferenceException>(() => reference.WithTag("bad tag")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => reference.WithDigest(default));
    }

    [Theory]
    [InlineData("alpine", null, "docker.io/library/alpine:latest")]
    [InlineData("alpine", "3", "docker.io/library/alpine:3")]
    [InlineData("127.0.0.1:5000/app", Sha, "127.0.0.1:5000/app@" + Sha)]
    public void Create_joins_a_name_and_a_tag_or_digest(string name, string? tagOrDigest, string expected)
        => Assert.Equal(expected, ImageReference.Create(name, tagOrDigest).ToString());

    [Theory]
    [InlineData("busybox", "127.0.0.1:5000/busybox:latest")]
    [InlineData("library/busybox:1", "127.0.0.1:5000/library/busybox:1")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000/app:latest")]
    [InlineData("other.example/app", "other.example/app:latest")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox:latest")]
    public void A_default_registry_places_names_without_a_host(string input, string expected)
        => Assert.Equal(expected, ImageReference.Parse(input, "127.0.0.1:5000").ToString());

    [Fact]
    public void Docker_Hub_as_default_registry_adds_the_library_prefix()
    {
        Assert.Equal("docker.io/library/busybox:latest", ImageReference.Parse("busybox", "index.docker.io").ToString());
        Assert.Equal("[::1]:5000/app@" + Sha, ImageReference.Create("app", Sha, "[::1]:5000").ToString());
    }

    [Fact]
    public void A_bad_default_registry_is_named()
        => Assert.Contains("the host \"bad_host\"", Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse("app", "bad_host")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("docker.io", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("Index.Docker.IO", "docker.io")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    public void Normalises_Docker_Hub_registry_names(string host, string expected)
        => Assert.Equal(expected, ImageReference.NormalizeRegistry(host));

    [Fact]
    public void Equal_references_are_equal_records()
    {
        Assert.Equal(ImageReference.Parse("alpine"), ImageReference.Parse("docker.io/library/alpine:latest"));
        Assert.NotEqual(ImageReference.Parse("alpine"), ImageReference.Parse("alpine:3"));
    }

    [Fact]
    public void Random_text_either_parses_and_round_trips_or_fails_with_InvalidReferenceException()
    {
        var random = new Random(20260401);
        string[] pieces = ["a", "z", "0", "9", "A", ".", "_", "__", "-", ":", "/", "@", "[", "]", "::1", "5000", "localhost", "docker.io", "library/", "@" + Sha, " ", "\u00e9"];
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => pieces[random.Next(pieces.Length)]));
            try
            {
                var reference = ImageReference.Parse(text);
                Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
                Assert.Equal(reference, ImageReference.Parse(reference.FamiliarName + (reference.Tag is null ? "" : ":" + reference.Tag) + (reference.Digest is { } d ? "@" + d : "")));
            }
            catch (InvalidReferenceException)
            {
                // Expected for most random text; any other exception fails the test.
            }
        }
    }
}
