namespace Dockerless.Running;

/// <summary>Everything decided about one container before its bundle is written.</summary>
internal sealed record ContainerPlan
{
    public required string RootFilesystem { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyList<string> Environment { get; init; }
    public required string WorkingDirectory { get; init; }
    public required ImageUser User { get; init; }
    public required string Hostname { get; init; }
    public required bool HostNetwork { get; init; }
    public required bool ReadOnlyRoot { get; init; }
    public required bool Terminal { get; init; }

    /// <summary>The bundle's own files bind-mounted over the image's: /etc/hostname, /etc/hosts, /etc/resolv.conf.</summary>
    public required IReadOnlyList<OciMount> FileMounts { get; init; }

    /// <summary>Volumes, binds and tmpfs mounts, in the order they go (a parent before what it holds).</summary>
    public required IReadOnlyList<OciMount> UserMounts { get; init; }

    /// <summary>Null when running as root; else the user namespace's mappings.</summary>
    public required IdMappings? Rootless { get; init; }

    public required OciSeccomp? Seccomp { get; init; }

    /// <summary>The open files limit (soft and hard) the container gets.</summary>
    public required ulong OpenFilesLimit { get; init; }
}

/// <summary>A rootless container's user namespace: the caller is root inside.</summary>
internal sealed record IdMappings(IReadOnlyList<OciIdMapping> Uids, IReadOnlyList<OciIdMapping> Gids);
