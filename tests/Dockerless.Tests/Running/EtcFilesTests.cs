using Dockerless.Running;

namespace Dockerless.Tests.Running;

/// <summary>The resolv.conf a container with its own network gets from the host's, as docker filters it.</summary>
public class EtcFilesTests
{
    [Fact]
    public void Reachable_name_servers_and_other_lines_are_kept_as_they_are()
        => Assert.Equal("search example.org\nnameserver 10.0.0.2\noptions ndots:2\n", EtcFiles.FilterResolvConf("search example.org\nnameserver 10.0.0.2\noptions ndots:2\n"));

    [Fact]
    public void Loopback_and_ipv6_name_servers_are_dropped()
        => Assert.Equal("nameserver 10.0.0.2\n", EtcFiles.FilterResolvConf("nameserver 127.0.0.53\nnameserver ::1\nnameserver fe80::1%eth0\nnameserver 10.0.0.2\n"));

    [Fact]
    public void When_none_is_left_dockers_fallback_servers_are_written()
        => Assert.Equal("search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.FilterResolvConf("search lan\nnameserver 127.0.0.53\n"));
}
