using System.Text;
using CsCheck;
using Dockerless.Auth;
using Dockerless.Tests.Hostile;
using Xunit.Abstractions;

namespace Dockerless.Tests.Fuzz;

/// <summary>Fuzzes the string parsers: image references and WWW-Authenticate headers.</summary>
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
}
