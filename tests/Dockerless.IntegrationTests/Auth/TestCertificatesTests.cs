using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Auth;

/// <summary>Proves <see cref="TestCertificates"/> with the real registry serving TLS.</summary>
public sealed class TestCertificatesTests
{
    [Fact]
    public async Task The_registry_serves_the_certificate_which_verifies_against_the_CA_only()
    {
        using var certs = TestCertificates.Create();
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { InMemory = true, Tls = (certs.ServerCertificatePath, certs.ServerKeyPath) });

        using var trustingClient = new HttpClient(certs.TrustingHandler());
        using var ok = await trustingClient.GetAsync(registry.Url("/v2/"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var plainClient = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => plainClient.GetAsync(registry.Url("/v2/")));
        Assert.IsType<AuthenticationException>(refused.InnerException, exactMatch: false);
    }

    [Fact]
    public void Writes_PEM_files_and_a_certs_d_directory()
    {
        using var certs = TestCertificates.Create();

        var hostDir = certs.WriteCertsD("127.0.0.1:5000");

        Assert.Equal(Path.Combine(certs.Directory, "certs.d", "127.0.0.1:5000"), hostDir);
        Assert.Equal(File.ReadAllText(certs.CaCertificatePath), File.ReadAllText(Path.Combine(hostDir, "ca.crt")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(certs.ServerKeyPath), StringComparison.Ordinal);
        using var server = X509CertificateLoader.LoadCertificateFromFile(certs.ServerCertificatePath);
        Assert.Equal(certs.Authority.Subject, server.Issuer);
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        var directory = certs.Directory;
        certs.Dispose();
        Assert.False(Directory.Exists(directory));
    }
}
