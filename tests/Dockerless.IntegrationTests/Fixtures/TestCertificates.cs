using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// A throw-away certificate authority and a server certificate it signed for <c>127.0.0.1</c>,
/// <c>::1</c> and <c>localhost</c>, written as PEM files in a temporary directory (deleted on dispose).
/// </summary>
/// <example>
/// A TLS registry whose CA the client trusts through an option (or a docker <c>certs.d</c> directory):
/// <code>
/// using var certs = TestCertificates.Create();
/// // registry config.yml:  http: {tls: {certificate: certs.ServerCertificatePath, key: certs.ServerKeyPath}}
/// // client:               CA bundle = certs.CaCertificatePath
/// var hostDir = certs.WriteCertsD("127.0.0.1:" + port);  // DIR/certs.d/127.0.0.1:PORT/ca.crt: skopeo --cert-dir hostDir;
///                                                         // its parent is a docker-style certs.d root
/// </code>
/// Without the CA the server certificate fails verification, which is what a "refused without the CA" test needs.
/// </example>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory, X509Certificate2 authority, X509Certificate2 server)
    {
        Directory = directory;
        Authority = authority;
        Server = server;
    }

    /// <summary>The temporary directory holding the PEM files.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA certificate, PEM: give it to the client as its trusted bundle.</summary>
    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    /// <summary>The server certificate followed by the CA's, PEM: the registry's <c>http.tls.certificate</c>.</summary>
    public string ServerCertificatePath => Path.Combine(Directory, "server.crt");

    /// <summary>The server's private key, unencrypted PKCS#8 PEM: the registry's <c>http.tls.key</c>.</summary>
    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>Makes a CA and a server certificate valid from a day ago for two days, and writes them.</summary>
    public static TestCertificates Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("dockerless-certs-").FullName;
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(2);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Dockerless Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var authorityWithKey = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authorityWithKey, true, false));
        using var serverPublic = serverRequest.Create(authorityWithKey, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        var server = serverPublic.CopyWithPrivateKey(serverKey);

        var authority = X509CertificateLoader.LoadCertificate(authorityWithKey.RawData);
        var certificates = new TestCertificates(directory, authority, server);
        File.WriteAllText(certificates.CaCertificatePath, authority.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.ServerCertificatePath, server.ExportCertificatePem() + "\n" + authority.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        return certificates;
    }

    /// <summary>An HTTP handler that trusts this CA alone (the way a client given a CA bundle should).</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Authority.RawData));
        return handler;
    }

    /// <summary>
    /// Writes <c>certs.d/<paramref name="hostAndPort"/>/ca.crt</c> under this directory and returns
    /// that host directory (what skopeo's <c>--cert-dir</c> takes); its parent is laid out as docker's
    /// <c>/etc/docker/certs.d</c>.
    /// </summary>
    public string WriteCertsD(string hostAndPort)
    {
        var host = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "certs.d", hostAndPort)).FullName;
        File.Copy(CaCertificatePath, Path.Combine(host, "ca.crt"), overwrite: true);
        return host;
    }

    /// <summary>Deletes the files; a second call does nothing.</summary>
    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
