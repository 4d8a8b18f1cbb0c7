using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>One entry of a token's <c>access</c> claim: <c>repository:team/app:pull,push</c> as type, name and actions.</summary>
/// <param name="Type">The resource type, <c>repository</c> or <c>registry</c>.</param>
/// <param name="Name">The resource name, such as <c>team/app</c> or <c>catalog</c>.</param>
/// <param name="Actions">The actions, such as <c>pull</c>, <c>push</c>, <c>delete</c>, <c>*</c>.</param>
public sealed record TokenScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    /// <summary>Parses <c>type:name:action,action</c> (the name may hold ':'); null when malformed.</summary>
    public static TokenScope? Parse(string scope)
    {
        var first = scope.IndexOf(':', StringComparison.Ordinal);
        var last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first + 1) return null;
        return new TokenScope(scope[..first], scope[(first + 1)..last], scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The scope in the form the registry's challenge writes it.</summary>
    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";
}

/// <summary>
/// Mints the RS256 JWTs the distribution registry's <c>token</c> auth accepts: the header names the
/// signing certificate in <c>x5c</c>, the registry checks it against its <c>rootcertbundle</c>.
/// </summary>
internal sealed class TokenJwt : IDisposable
{
    private readonly RSA _key;

    public TokenJwt()
    {
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Dockerless test token signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    /// <summary>The signing certificate: the registry's <c>rootcertbundle</c>.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A signed token for <paramref name="subject"/> granting <paramref name="access"/>, valid from <paramref name="notBefore"/> to <paramref name="expires"/>.</summary>
    public string Mint(string issuer, string audience, string subject, IEnumerable<TokenScope> access, DateTimeOffset notBefore, DateTimeOffset expires)
    {
        var header = Json(w =>
        {
            w.WriteString("alg", "RS256");
            w.WriteString("typ", "JWT");
            w.WriteStartArray("x5c");
            w.WriteStringValue(Convert.ToBase64String(Certificate.RawData));
            w.WriteEndArray();
        });
        var now = DateTimeOffset.UtcNow;
        var claims = Json(w =>
        {
            w.WriteString("iss", issuer);
            w.WriteString("sub", subject);
            w.WriteString("aud", audience);
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
            w.WriteNumber("nbf", notBefore.ToUnixTimeSeconds());
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            w.WriteStartArray("access");
            foreach (var scope in access)
            {
                w.WriteStartObject();
                w.WriteString("type", scope.Type);
                w.WriteString("name", scope.Name);
                w.WriteStartArray("actions");
                foreach (var action in scope.Actions) w.WriteStringValue(action);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        var signed = Base64Url(header) + "." + Base64Url(claims);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
