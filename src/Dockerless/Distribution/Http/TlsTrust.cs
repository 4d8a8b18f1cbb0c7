using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dockerless.Distribution.Http;

/// <summary>
/// Decides whether a registry's TLS certificate is trusted: the system's store first, then the
/// caller's CA bundle and docker's <c>certs.d/HOST:PORT/*.crt</c>, or anything when skip-verify
/// was asked for. A name mismatch is never forgiven except by skip-verify.
/// </summary>
internal sealed class TlsTrust
{
    private const string DefaultCertificatesDirectory = "/etc/docker/certs.d";
    private readonly X509Certificate2Collection _extraRoots = [];
    private readonly bool _skipVerify;

    public TlsTrust(RegistryOptions options, RegistryEndpoint endpoint)
    {
        _skipVerify = options.SkipTlsVerify;
        if (options.CaBundlePath is { } bundle) _extraRoots.ImportFromPemFile(bundle);
        var hostDirectory = Path.Combine(options.CertificatesDirectory ?? DefaultCertificatesDirectory, endpoint.Host);
        if (Directory.Exists(hostDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(hostDirectory, "*.crt").Order(StringComparer.Ordinal))
            {
                _extraRoots.ImportFromPemFile(file);
            }
        }
    }

    /// <summary>The callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_skipVerify || errors == SslPolicyErrors.None) return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || _extraRoots.Count == 0) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
