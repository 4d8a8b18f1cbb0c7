using System.Text;
using System.Text.Json;
using Dockerless.Tests.Hostile;
using Xunit.Abstractions;

namespace Dockerless.Tests.Fuzz;

/// <summary>
/// Fuzzes what credentials are read from: docker's config.json (and podman's auth.json, the same
/// format) and a credential helper's answer. Both hold secrets, so besides the exception types the
/// oracle checks that no exception's text, inner ones included, shows a secret of the corpus.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class CredentialFuzzTests(ITestOutputHelper output)
{
    private const string Secret = "SUPERSECRET";

    /// <summary>The secret as the corpus holds it: plain, and inside base64 <c>user:SECRET</c>.</summary>
    private static readonly string[] SecretForms = [Secret, AuthFile.EncodeAuth("user", Secret)];

    private static readonly string[] Registries = ["reg.example", "docker.io", "127.0.0.1:5000", "helped.example", "tok.example"];

    private static readonly byte[][] AuthFiles =
    [
        Encoding.UTF8.GetBytes($$$"""
            {"auths":{"reg.example":{"auth":"{{{SecretForms[1]}}}"},"https://index.docker.io/v1/":{"username":"user","password":"{{{Secret}}}"},
             "127.0.0.1:5000":{"auth":"","identitytoken":"{{{Secret}}}"},"tok.example":{"registrytoken":"{{{Secret}}}"},"helped.example":{}},
             "credHelpers":{"helped.example":"none"},"HttpHeaders":{"User-Agent":"Docker-Client"},"psFormat":"table"}
            """),
        Encoding.UTF8.GetBytes($$$"""{"auths":{"docker.io":{"auth":"{{{SecretForms[1]}}}"},"http://reg.example/v2/":{"username":"user","password":"{{{Secret}}}"}},"credsStore":"desktop"}"""),
    ];

    private static readonly byte[][] HelperAnswers =
    [
        Encoding.UTF8.GetBytes($$"""{"ServerURL":"reg.example","Username":"user","Secret":"{{Secret}}"}"""),
        Encoding.UTF8.GetBytes($$"""{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"{{Secret}}"}"""),
    ];

    [Fact]
    public void Auth_file_reader_throws_only_CredentialException_without_the_secret()
        => Fuzz.Run(output, "auth file (config.json)", Mutator.Json(AuthFiles), b => b.Length, bytes =>
        {
            try
            {
                // What DockerCredentialStore does with the file, short of running a helper: a lookup
                // for each registry, and the file written back as login and logout write it.
                var root = AuthFile.Parse(bytes, "/home/u/.docker/config.json");
                foreach (var registry in Registries)
                {
                    AuthFile.HelperFor(root, registry);
                    AssertSendable(AuthFile.ReadEntry(root, registry, "/home/u/.docker/config.json"));
                }
                root.ToJsonString();
            }
            catch (Exception e)
            {
                if (!SecretMayBeNamed(bytes)) AssertNoSecret(e);
                throw;
            }
        }, typeof(CredentialException));

    [Fact]
    public void Helper_answer_reader_throws_only_CredentialException_without_the_secret()
        => Fuzz.Run(output, "credential helper answer", Mutator.Json(HelperAnswers), b => b.Length, bytes =>
        {
            try
            {
                // As the helper's output is read: a StreamReader decodes UTF-8, replacing bad bytes.
                CredentialHelper.ParseAnswer(Encoding.UTF8.GetString(bytes), "docker-credential-fuzz get reg.example: the answer");
            }
            catch (Exception e)
            {
                AssertNoSecret(e);
                throw;
            }
        }, typeof(CredentialException));

    /// <summary>A registry token goes out as "Authorization: Bearer TOKEN", which carries visible ASCII only.</summary>
    private static void AssertSendable(RegistryCredential? credential)
        => Assert.All(credential?.RegistryToken ?? "", c => Assert.InRange(c, '!', '~'));

    private static void AssertNoSecret(Exception e)
    {
        foreach (var form in SecretForms) Assert.DoesNotContain(form, e.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// True when a mutation moved the secret into a key, which the reader names in its errors
    /// ('the "auth" of "KEY" in PATH is not base64'). Those cases are left out of the secret check;
    /// every other still is.
    /// </summary>
    private static bool SecretMayBeNamed(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
            return KeysOf(document.RootElement).Any(key => SecretForms.Any(form => key.Contains(form, StringComparison.Ordinal)));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string no string can hold: the reader refuses it naming only a position.
            return false;
        }
    }

    private static IEnumerable<string> KeysOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => KeysOf(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(KeysOf),
        _ => [],
    };
}
