using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>--cert-dir and --insecure against a registry serving TLS with a certificate of a private CA.</summary>
public class TlsOptionTests
{
    [Fact]
    public async Task A_private_ca_is_refused_unless_cert_dir_trusts_it_or_insecure_allows_it()
    {
        using var certs = TestCertificates.Create();
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { Tls = (certs.ServerCertificatePath, certs.ServerKeyPath) });
        using var dir = new TempDirectory();
        var sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");

        var refused = await CliTool.RunAsync("build", sample, "-t", $"{registry.Host}/app:1");
        Assert.Equal(1, refused.ExitCode);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // docker's certs.d layout: DIR/HOST:PORT/ca.crt
        Directory.CreateDirectory(dir[registry.Host]);
        File.Copy(certs.CaCertificatePath, Path.Combine(dir[registry.Host], "ca.crt"));
        await CliTool.SucceedAsync(["build", sample, "-t", $"{registry.Host}/app:1", "--cert-dir", dir.Path]);
        var tags = await CliTool.SucceedAsync(["--insecure", registry.Host, "ls", $"{registry.Host}/app"]);
        Assert.Equal("1", tags.Output.Trim());
        await Peer.RunAsync("skopeo", ["inspect", "--cert-dir", dir[registry.Host], $"docker://{registry.Host}/app:1"]);
    }
}
