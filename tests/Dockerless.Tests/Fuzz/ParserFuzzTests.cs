using System.Text;
using CsCheck;
using Dockerless.Cli;
using Dockerless.Tests.Hostile;
using Xunit.Abstractions;

namespace Dockerless.Tests.Fuzz;

/// <summary>Fuzzes the string parsers: image references, WWW-Authenticate headers, digests, platforms and the CLI's image locations.</summary>
[Collection(MemoryMeasurements.Name)]
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const string Digest64 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>A path component: alphanumerics around a separator that may or may not be allowed.</summary>
    private static readonly Gen<string> Component = Gen.Select(
        Gen.String[Gen.Char["abz09"], 0, 8], Gen.OneOf("", "", ".", "_", "__", "-", "---", "..", "___", "A"), Gen.String[Gen.Char["abz09"], 0, 8],
        (a, separator, b) => a + separator + b);

    /// <summary>References built from grammar pieces, some broken, plus strings of the grammar's alphabet.</summary>
    private static readonly Gen<string> References = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("", "registry.example.com/", "localhost:5000/", "127.0.0.1:5000/", "[::1]:5000/", "docker.io/", "index.docker.io/", "Upper.Host/", "host:/", "host:99999/", "-bad.host/", "a..b/"),
            Component.Array[1, 4].Select(parts => string.Join('/', parts)),
            Gen.OneOf("", ":latest", ":v1.0", ":", ":-bad", ":" + new string('t', 129), ":UPPER_ok"),
            Gen.OneOf("", "@" + Digest64, "@sha256:abc", "@sha512:" + new string('0', 128), "@" + Digest64.ToUpperInvariant(), "@md5:00", "@"),
            (host, path, tag, digest) => host + path + tag + digest),
        Gen.String[Gen.Char["abcAZ09.-_:/@+ %\u00e9\0"], 0, 300]);

    /// <summary>Challenges assembled from their syntax, and strings of their alphabet.</summary>
    private static readonly Gen<string> Challenges = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("Bearer", "Basic", "bearer", "Negotiate", "", "B@d"),
            Gen.String[Gen.Char[" realm=\"\\,service scope:pull,push\t=abc"], 0, 120],
            Gen.OneOf("", ", Basic realm=\"r\"", ",", " abc==", "\"unterminated", "=\"x\""),
            (scheme, parameters, tail) => scheme + " " + parameters + tail),
        Gen.String[Gen.Char["Bearer Basic realm=\"\\,= service scope\t\r\n:/"], 0, 400]);

    [Fact]
    public void Reference_parser_throws_only_InvalidReferenceException_and_round_trips_what_it_accepts()
        => Fuzz.Run(output, "ImageReference.Parse", References, s => Encoding.UTF8.GetByteCount(s), reference =>
        {
            var parsed = ImageReference.Parse(reference);
            var again = ImageReference.Parse(parsed.ToString());
            Assert.Equal(parsed.ToString(), again.ToString());
            Assert.Equal(parsed.Registry, again.Registry);
            Assert.Equal(parsed.Repository, again.Repository);
        }, typeof(InvalidReferenceException));

    [Fact]
    public void WwwAuthenticate_parser_never_throws_and_gives_named_challenges()
        => Fuzz.Run(output, "WwwAuthenticate.Parse", Challenges, s => Encoding.UTF8.GetByteCount(s), header =>
        {
            foreach (var challenge in WwwAuthenticate.Parse(header))
            {
                Assert.False(string.IsNullOrWhiteSpace(challenge.Scheme));
            }
        });

    /// <summary>Digests as a Docker-Content-Digest header or a document may give them, some broken.</summary>
    private static readonly Gen<string> Digests = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("sha256", "sha512", "SHA256", "md5", "", "sha256+b64", " sha256"),
            Gen.OneOf(":", "", "::", ": "),
            Gen.OneOf(
                Gen.String[Gen.Char["0123456789abcdef"], 64, 64], Gen.String[Gen.Char["0123456789abcdef"], 128, 128],
                Gen.String[Gen.Char["0123456789abcdef"], 60, 68], Gen.String[Gen.Char["0123456789abcdefABCDEFg\u0660"], 0, 130]),
            (algorithm, colon, hex) => algorithm + colon + hex),
        Gen.String[Gen.Char["sha2560:abcdef\0 "], 0, 140]);

    [Fact]
    public void Digest_parser_throws_only_FormatException_and_round_trips_what_it_accepts()
        => Fuzz.Run(output, "Digest.Parse", Digests, s => Encoding.UTF8.GetByteCount(s), text =>
        {
            var accepted = Digest.TryParse(text, out var tried);
            var digest = Digest.Parse(text);
            Assert.True(accepted);
            Assert.Equal(tried, digest);
            Assert.Equal(text, digest.ToString());
        }, typeof(FormatException));

    private static readonly Gen<string> Platforms = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("linux", "windows", "", " ", "Linux", "linux\t"), Gen.OneOf("/", "", "//", "\\"), Gen.OneOf("amd64", "arm64", "", " ", "arm"),
            Gen.OneOf("", "/v8", "/", "/v7/extra", "/ ", "/\u00e9"),
            (os, slash, architecture, variant) => os + slash + architecture + variant),
        Gen.String[Gen.Char["linuxamd64/ v8\t"], 0, 60]);

    [Fact]
    public void Platform_parser_throws_only_FormatException_and_round_trips_what_it_accepts_in_lower_case()
        => Fuzz.Run(output, "Platform.Parse", Platforms, s => Encoding.UTF8.GetByteCount(s), text =>
        {
            var platform = Platform.Parse(text);
            // Parts are ASCII and case-insensitive, as containerd reads them: they print back in lower case.
            Assert.Equal(text.ToLowerInvariant(), platform.ToString());
            Assert.True(platform.Matches(platform));
        }, typeof(FormatException));

    /// <summary>Image locations as the CLI takes them: each transport with paths and references, some broken.</summary>
    private static readonly Gen<string> Locations = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("", "docker://", "docker:", "docker-archive:", "oci:", "oci-archive:", "docker-daemon:", "Docker://", "oci-archive", "scratch", "unknown:"),
            Gen.OneOf("", "./out/app.tar", "/tmp/layout", "app.tar", "layout", ":", "//", "C:\\x"),
            Gen.OneOf("", ":", ":app:1", ":app@" + Digest64, ":v1", ":127.0.0.1:5000/app:1", ":-rf", ":--output=/x", ":UPPER", ": ", "::"),
            References,
            (transport, path, name, reference) => transport + path + name + (path.Length == 0 ? reference : "")),
        Gen.String[Gen.Char["docker-archive:/.tarsc@ -"], 0, 80]);

    [Fact]
    public void Location_parser_throws_only_InvalidLocationException_and_gives_what_its_users_can_take()
        => Fuzz.Run(output, "ImageLocation.Parse", Locations, s => Encoding.UTF8.GetByteCount(s), text =>
        {
            foreach (var location in new[] { ImageLocation.Parse(text), ImageLocation.ParseDestination(text) })
            {
                Assert.Equal(text, location.ToString());
                switch (location)
                {
                    case DockerArchiveLocation { Reference: { } reference }:
                        ImageReference.Parse(reference);
                        RepoTag.Split(reference);
                        break;
                    case DaemonLocation daemon:
                        // It is handed to docker save and docker load as an argument.
                        ImageReference.Parse(daemon.Reference);
                        break;
                }
            }
        }, typeof(InvalidLocationException));
}
