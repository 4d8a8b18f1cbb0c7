using System.Net;
using System.Net.Sockets;

namespace Dockerless.Running;

/// <summary>
/// The three files docker writes for each container and bind-mounts over the image's own:
/// <c>/etc/hostname</c>, <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>.
/// </summary>
internal static class EtcFiles
{
    public static string Hostname(string hostname) => hostname + "\n";

    /// <summary>docker's fixed list for a container of its own network; the host's file on the host's network.</summary>
    public static string Hosts(bool hostNetwork) => hostNetwork ? ReadHostFile("/etc/hosts") ?? DockerDefaults.Hosts : DockerDefaults.Hosts;

    /// <summary>
    /// The host's resolv.conf. A container with its own network cannot reach the host's loopback,
    /// so, as docker does, its name servers on 127.0.0.0/8 or ::1 are dropped, IPv6 name servers
    /// too (docker's networks have no IPv6 unless asked), and Google's public servers take their
    /// place when none is left.
    /// </summary>
    public static string ResolvConf(bool hostNetwork)
    {
        var host = ReadHostFile("/etc/resolv.conf") ?? "";
        return hostNetwork ? host : FilterResolvConf(host);
    }

    internal static string FilterResolvConf(string content)
    {
        var lines = content.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        lines.RemoveAll(line => NameServer(line) is { } address && (IPAddress.IsLoopback(address) || address.AddressFamily == AddressFamily.InterNetworkV6));
        if (!lines.Any(line => NameServer(line) is not null))
        {
            lines.AddRange(DockerDefaults.FallbackNameServers.Select(s => $"nameserver {s}"));
        }
        return string.Join('\n', lines) + "\n";
    }

    private static IPAddress? NameServer(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields is not ["nameserver", var value, ..]) return null;
        // A scoped IPv6 address (fe80::1%eth0) names an interface the container does not have.
        var percent = value.IndexOf('%', StringComparison.Ordinal);
        return IPAddress.TryParse(percent < 0 ? value : value[..percent], out var address) ? address : null;
    }

    private static string? ReadHostFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
