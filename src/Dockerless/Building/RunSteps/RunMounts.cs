using System.Globalization;
using System.Text;
using Dockerless.Stores;
using Dockerless.Unpacking;

namespace Dockerless.Building.RunSteps;

/// <summary>
/// A RUN's <c>--mount</c>s made ready as host paths for the runtime: bind mounts from the context
/// (read-only, or a private copy with <c>rw</c>) or from a stage or image (unpacked), cache
/// directories kept between builds under the build cache (each locked while a RUN uses it),
/// secrets copied into the run's own directory with their mode and owner, and tmpfs mounts.
/// Disposing releases the cache locks.
/// </summary>
internal sealed class RunMounts : IDisposable
{
    private const uint DirectoryMode = 0x1ED; // 0755
    private const uint SecretMode = 0x100;    // 0400, BuildKit's default for a secret
    private const int CurrentDirectory = -100; // AT_FDCWD

    private readonly List<FileLock> _locks = [];

    private RunMounts()
    {
    }

    /// <summary>The host paths to bind in.</summary>
    public List<BindMount> Binds { get; } = [];

    /// <summary>tmpfs mounts, <c>PATH[:OPTIONS]</c>.</summary>
    public List<string> Tmpfs { get; } = [];

    /// <summary>Variables secrets set (<c>env=</c>).</summary>
    public List<string> Environment { get; } = [];

    /// <summary>Every bind mount's destination, relative to the root (<c>run/secrets/x</c>).</summary>
    public IEnumerable<string> Destinations => Binds.Select(b => b.Destination.TrimStart('/'));

    /// <summary>Prepares <paramref name="step"/>'s mounts in <paramref name="workDirectory"/>, a directory of the run's own.</summary>
    public static async Task<RunMounts> PrepareAsync(RunStep step, string workDirectory, CancellationToken cancellationToken)
    {
        var mounts = new RunMounts();
        try
        {
            for (var i = 0; i < step.Mounts.Count; i++)
            {
                var mount = step.Mounts[i];
                var scratch = Path.Combine(workDirectory, "mount-" + i.ToString(CultureInfo.InvariantCulture));
                switch (mount.Type)
                {
                    case "bind":
                        await mounts.BindAsync(step, mount, i, scratch, cancellationToken).ConfigureAwait(false);
                        break;
                    case "cache":
                        await mounts.CacheAsync(step, mount, cancellationToken).ConfigureAwait(false);
                        break;
                    case "secret":
                        mounts.Secret(step, mount, scratch);
                        break;
                    case "tmpfs":
                        var size = mount.SizeLimit > 0 ? ":size=" + mount.SizeLimit.ToString(CultureInfo.InvariantCulture) : "";
                        mounts.Tmpfs.Add(Target(step, mount) + size);
                        break;
                    default:
                        throw new DockerlessException($"RUN --mount=type={mount.Type}: not supported without a daemon (an ssh mount needs an agent forwarded into the build)");
                }
            }
            return mounts;
        }
        catch
        {
            mounts.Dispose();
            throw;
        }
    }

    private async Task BindAsync(RunStep step, RunMount mount, int index, string scratch, CancellationToken cancellationToken)
    {
        var inside = GoPaths.Clean("/" + (mount.Source ?? "")).TrimStart('/');
        string root;
        if (step.MountSources.TryGetValue(index, out var layers))
        {
            await Unpacker.UnpackAsync(layers, scratch, UnpackOptions.Default, cancellationToken).ConfigureAwait(false);
            root = scratch;
        }
        else
        {
            root = Path.GetFullPath(step.ContextDirectory);
        }
        var source = inside.Length == 0 ? root : Path.Combine(root, inside);
        if (!Path.Exists(source)) throw new DockerlessException($"RUN --mount=type=bind: source \"{mount.Source}\" not found in {mount.From ?? "the build context"}");
        if (!mount.ReadOnly && mount.From is null)
        {
            // Writes to a rw bind are thrown away, as BuildKit's are: never into the user's context.
            var copy = Path.Combine(scratch, "copy");
            Directory.CreateDirectory(scratch);
            CopyTree(source, copy);
            source = copy;
        }
        Binds.Add(new BindMount(source, Target(step, mount), mount.ReadOnly));
    }

    private async Task CacheAsync(RunStep step, RunMount mount, CancellationToken cancellationToken)
    {
        if (mount.From is not null) throw new DockerlessException("RUN --mount=type=cache,from=...: seeding a cache from a stage is not supported");
        var target = Target(step, mount);
        var id = mount.Id is { Length: > 0 } given ? given : target;
        var key = Digest.Compute(Encoding.UTF8.GetBytes(id)).Encoded[..32];
        var folder = Path.Combine(step.CacheDirectory, "run-cache", key);
        // Every sharing mode is served as "locked": one RUN at a time uses a cache, across builds.
        var held = await FileLock.AcquireAsync(Path.Combine(folder, "lock"), cancellationToken).ConfigureAwait(false);
        _locks.Add(held);
        var data = Path.Combine(folder, "data");
        if (!Directory.Exists(data))
        {
            var temporary = Path.Combine(folder, ".tmp-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(temporary);
            SetModeAndOwner(temporary, mount.Mode ?? DirectoryMode, mount.Uid ?? 0, mount.Gid ?? 0);
            Directory.Move(temporary, data);
        }
        Binds.Add(new BindMount(data, target, mount.ReadOnly));
    }

    private void Secret(RunStep step, RunMount mount, string scratch)
    {
        var id = mount.Id is { Length: > 0 } given ? given : mount.Target is { Length: > 0 } target ? Path.GetFileName(target) : "";
        if (!step.Secrets.TryGetValue(id, out var file))
        {
            if (mount.Required) throw new DockerlessException($"RUN --mount=type=secret: secret {id} not found: pass it with --secret id={id},src=FILE");
            return;
        }
        if (mount.Env is { Length: > 0 } variable)
        {
            Environment.Add($"{variable}={File.ReadAllText(file)}");
            if (mount.Target is null) return;
        }
        Directory.CreateDirectory(scratch);
        var copy = Path.Combine(scratch, "secret");
        File.Copy(file, copy);
        SetModeAndOwner(copy, mount.Mode ?? SecretMode, mount.Uid ?? 0, mount.Gid ?? 0);
        Binds.Add(new BindMount(copy, mount.Target is { Length: > 0 } ? Target(step, mount) : "/run/secrets/" + id, ReadOnly: true));
    }

    /// <summary>The mount's target, absolute: a relative one is under the working directory, as BuildKit places it.</summary>
    private static string Target(RunStep step, RunMount mount)
    {
        if (mount.Target is not { Length: > 0 } target) throw new DockerlessException($"RUN --mount=type={mount.Type}: no target given");
        return GoPaths.Clean(target.StartsWith('/') ? target : step.WorkingDirectory.TrimEnd('/') + "/" + target);
    }

    /// <summary>chmod(2): the mode as given, setuid, setgid and sticky bits included.</summary>
    public static void SetMode(string path, uint mode)
    {
        if (Syscalls.ChangeModeOfPath(path, mode) != 0) throw Syscalls.Error(Syscalls.LastError, "chmod", path);
    }

    private static void SetModeAndOwner(string path, uint mode, uint uid, uint gid)
    {
        SetMode(path, mode);
        // Rootless, every file is the caller's, root's inside the run: an owner cannot be given.
        if (Syscalls.EffectiveUserId() == 0 && Syscalls.ChangeOwnerAt(CurrentDirectory, path, uid, gid, Syscalls.AtSymlinkNoFollow) != 0)
        {
            throw Syscalls.Error(Syscalls.LastError, "chown", path);
        }
    }

    /// <summary>A copy of a file or directory tree, links kept as links.</summary>
    private static void CopyTree(string source, string destination)
    {
        var info = HostFileInfo.Read(source);
        switch (info.Kind)
        {
            case HostFileKind.Directory:
                Directory.CreateDirectory(destination);
                foreach (var child in Directory.EnumerateFileSystemEntries(source)) CopyTree(child, Path.Combine(destination, Path.GetFileName(child)));
                SetMode(destination, (uint)info.Mode);
                break;
            case HostFileKind.SymbolicLink:
                File.CreateSymbolicLink(destination, new FileInfo(source).LinkTarget!);
                break;
            case HostFileKind.Regular:
                File.Copy(source, destination);
                break;
        }
    }

    public void Dispose()
    {
        foreach (var held in _locks) held.Dispose();
        _locks.Clear();
    }
}
