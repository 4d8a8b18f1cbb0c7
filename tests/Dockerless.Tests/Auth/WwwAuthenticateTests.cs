
namespace Dockerless.Tests.Auth;

public class WwwAuthenticateTests
{
    [Fact]
    public void Reads_Docker_Hubs_bearer_challenge()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/alpine:pull", challenge.Scope);
        Assert.Null(challenge.Error);
    }

    [Fact]
    public void Reads_a_Basic_challenge()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse("Basic realm=\"test-realm\""));

        Assert.True(challenge.IsBasic);
        Assert.False(challenge.IsBearer);
        Assert.Equal("test-realm", challenge.Realm);
    }

    [Fact]
    public void Schemes_and_parameter_names_ignore_case()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse("bEARER REALM=\"r\", Service=s"));

        Assert.True(challenge.IsBearer);
        Assert.True(challenge.IsScheme("BEARER"));
        Assert.Equal("r", challenge.Parameters["realm"]);
        Assert.Equal("s", challenge.Service);
    }

    [Fact]
    public void Reads_several_challenges_in_one_header()
    {
        var challenges = WwwAuthenticate.Parse("Bearer realm=\"https://t/token\", service=\"reg\", Basic realm=\"r2\" , Negotiate, Custom abc+/=");

        Assert.Collection(challenges,
            c => { Assert.True(c.IsBearer); Assert.Equal("https://t/token", c.Realm); Assert.Equal("reg", c.Service); Assert.Equal(2, c.Parameters.Count); },
            c => { Assert.True(c.IsBasic); Assert.Equal("r2", c.Realm); },
            c => { Assert.Equal("Negotiate", c.Scheme); Assert.Empty(c.Parameters); Assert.Null(c.Token68); },
            c => { Assert.Equal("Custom", c.Scheme); Assert.Equal("abc+/=", c.Token68); });
    }

    [Fact]
    public void Unescapes_quoted_strings_and_keeps_commas_inside_them()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse("Bearer realm=\"a \\\"quoted\\\" \\\\ realm, with comma\",scope=\"repository:a:pull,push\""));

        Assert.Equal("a \"quoted\" \\ realm, with comma", challenge.Realm);
        Assert.Equal("repository:a:pull,push", challenge.Scope);
    }

    [Fact]
    public void Reads_unquoted_tokens_and_spaces_around_equals()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse("Bearer  service = test-registry ,\terror=insufficient_scope"));

        Assert.Equal("test-registry", challenge.Service);
        Assert.Equal("insufficient_scope", challenge.Error);
    }

    [Fact]
    public void Reads_the_error_of_an_insufficient_scope_challenge()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse(
            "Bearer realm=\"http://127.0.0.1:1/token\",service=\"test-registry\",scope=\"repository:app:pull,push\",error=\"insufficient_scope\""));

        Assert.Equal("insufficient_scope", challenge.Error);
        Assert.Equal("repository:app:pull,push", challenge.Scope);
    }

    [Fact]
    public void A_URL_must_be_quoted_to_be_a_value()
        => Assert.Empty(WwwAuthenticate.Parse("Bearer realm=https://t/token"));

    [Fact]
    public void A_lone_token_with_trailing_equals_is_a_token68()
        => Assert.Equal("abc==", Assert.Single(WwwAuthenticate.Parse("Negotiate abc==")).Token68);

    [Fact]
    public void Keeps_the_first_of_repeated_parameters()
        => Assert.Equal("one", Assert.Single(WwwAuthenticate.Parse("Bearer realm=one, realm=two")).Realm);

    [Fact]
    public void Reads_every_header_of_a_response()
    {
        var challenges = WwwAuthenticate.Parse(["Basic realm=\"a\"", "Bearer realm=\"b\""]);

        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",,,")]
    [InlineData("=")]
    [InlineData("\"quoted\"")]
    [InlineData("Bearer realm=\"never closed")]
    [InlineData("Bearer realm=\"x\\")]
    [InlineData("Bearer realm=\"x\" junk")]
    [InlineData("Bearer realm=\"x\"service=\"y\"")]
    [InlineData("Bearer =x")]
    [InlineData("Bearer realm=(x)")]
    [InlineData("Bé realm=x")]
    [InlineData("{\"json\": true}")]
    public void Garbage_gives_no_challenge_and_never_throws(string? header)
        => Assert.Empty(WwwAuthenticate.Parse(header));

    [Fact]
    public void Keeps_the_challenges_before_a_syntax_error()
    {
        var challenge = Assert.Single(WwwAuthenticate.Parse("Basic realm=\"ok\", Bearer realm=\"broken"));

        Assert.Equal("ok", challenge.Realm);
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var random = new Random(7235);
        string[] pieces = ["Bearer", "Basic", " ", ",", "=", "\"", "\\", "realm", "x", "/", "==", "\t", "(", "\u00e9"];
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            foreach (var challenge in WwwAuthenticate.Parse(text))
            {
                Assert.NotEmpty(challenge.Scheme);
            }
        }
    }
}
