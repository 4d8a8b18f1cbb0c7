namespace Dockerless.Dockerfiles;

/// <summary>One <c>RUN --mount=...</c>, its fields expanded and checked (see <see cref="RunInstruction.ParseMounts"/>).</summary>
public sealed record RunMount
{
    /// <summary><c>bind</c> (when not given), <c>cache</c>, <c>tmpfs</c>, <c>secret</c> or <c>ssh</c>.</summary>
    public string Type { get; init; } = "bind";

    /// <summary>The stage, image or named context to mount from (<c>from=</c>), or null for the build context (bind) or a new cache.</summary>
    public string? From { get; init; }

    /// <summary>The path inside <see cref="From"/> (<c>source=</c>, <c>src=</c>), or null.</summary>
    public string? Source { get; init; }

    /// <summary>Where the mount appears in the container (<c>target=</c>, <c>dst=</c>, <c>destination=</c>), or null.</summary>
    public string? Target { get; init; }

    /// <summary>Whether the mount is read-only: given by <c>ro</c>/<c>rw</c>, else true except for cache and tmpfs mounts.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>A tmpfs mount's <c>size=</c> in bytes, 0 when not given.</summary>
    public long SizeLimit { get; init; }

    /// <summary>The cache or secret <c>id=</c>, or null.</summary>
    public string? Id { get; init; }

    /// <summary>A cache mount's <c>sharing=</c>: <c>shared</c>, <c>private</c> or <c>locked</c>; null when not given.</summary>
    public string? Sharing { get; init; }

    /// <summary>Whether a secret or ssh mount is <c>required</c>.</summary>
    public bool Required { get; init; }

    /// <summary>The environment variable a secret is exposed as (<c>env=</c>), or null when not given.</summary>
    public string? Env { get; init; }

    /// <summary>The file mode (<c>mode=</c>, octal) of a secret, ssh or cache mount, or null.</summary>
    public uint? Mode { get; init; }

    /// <summary>The owner's user id (<c>uid=</c>) of a secret, ssh or cache mount, or null.</summary>
    public uint? Uid { get; init; }

    /// <summary>The owner's group id (<c>gid=</c>) of a secret, ssh or cache mount, or null.</summary>
    public uint? Gid { get; init; }
}
