namespace Dockerless.Running;

/// <summary>
/// What <c>docker run</c> (moby 20.10 and later) gives every container that asks for nothing
/// more: the capability set, the /proc and /sys paths it masks or makes read-only, the device
/// rules, the default PATH and the /etc/hosts of a container without a network.
/// </summary>
internal static class DockerDefaults
{
    /// <summary>The PATH docker sets when the image's Env has none.</summary>
    public const string Path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The 14 capabilities docker keeps (bounding, effective and permitted; none inheritable since 20.10.14).</summary>
    public static IReadOnlyList<string> Capabilities { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Paths covered by an empty read-only tmpfs (directories) or /dev/null (files).</summary>
    public static IReadOnlyList<string> MaskedPaths { get; } =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    ];

    /// <summary>Paths remounted read-only.</summary>
    public static IReadOnlyList<string> ReadonlyPaths { get; } = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>
    /// The device cgroup: nothing but the standard nodes, the terminals and tun may be opened; any
    /// node may be made (mknod) but not opened, so CAP_MKNOD never reaches a host disk.
    /// </summary>
    public static IReadOnlyList<OciDeviceRule> DeviceRules { get; } =
    [
        new(false, null, null, null, "rwm"),
        new(true, "c", null, null, "m"),
        new(true, "b", null, null, "m"),
        Allow(1, 3), Allow(1, 5), Allow(1, 7), Allow(1, 8), Allow(1, 9), Allow(5, 0), Allow(5, 1),
        new(true, "c", 136, null, "rwm"),
        Allow(5, 2),
        Allow(10, 200),
    ];

    /// <summary>The /etc/hosts of a container with its own network and no address on it (<c>--network none</c>).</summary>
    public const string Hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    /// <summary>The name servers docker writes when the host's are all on loopback (unreachable from the container).</summary>
    public static IReadOnlyList<string> FallbackNameServers { get; } = ["8.8.8.8", "8.8.4.4"];

    private static OciDeviceRule Allow(long major, long minor) => new(true, "c", major, minor, "rwm");
}
