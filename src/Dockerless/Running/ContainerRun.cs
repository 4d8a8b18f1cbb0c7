using System.ComponentModel;
using System.Globalization;
using Dockerless.Unpacking;

namespace Dockerless.Running;

/// <summary>
/// One container run by an OCI runtime: the plan made from the image's config and the options,
/// the bundle written, <c>runtime run</c> in the foreground with the streams attached and signals
/// forwarded, and the runtime's state removed whatever happened.
/// </summary>
internal static class ContainerRun
{
    public static async Task<RunResult> RunAsync(OciRuntime runtime, string rootFilesystem, ContainerConfig config, IReadOnlyList<string> command, RunOptions options, Bundle bundle, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("running a container with an OCI runtime needs Linux");
        var rootless = !OciRuntime.IsRoot;
        var invocation = new RuntimeInvocation(runtime, bundle, rootless);
        var plan = Plan(rootFilesystem, config, command, options, bundle, invocation);
        bundle.WriteSpec(SpecBuilder.Build(plan));
        cancellationToken.ThrowIfCancellationRequested();

        AttachedProcess process;
        try
        {
            var (executable, arguments) = invocation.RunCommand(options.Terminal, "run", $"--bundle={bundle.Path}", bundle.Id);
            process = AttachedProcess.Start(executable, arguments, options);
        }
        catch (Win32Exception e)
        {
            throw new ContainerStartException(runtime.Name, e.Message);
        }
        using (process)
        {
            int exitCode;
            using (options.Signals?.Attach(signal => _ = invocation.ExecAsync("kill", bundle.Id, signal.ToString(CultureInfo.InvariantCulture))))
            {
                try
                {
                    exitCode = await process.WaitAsync(() => invocation.ExecAsync("kill", bundle.Id, "KILL"), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (invocation.HasState) await invocation.ExecAsync("delete", "--force", bundle.Id).ConfigureAwait(false);
                }
            }
            if (exitCode != 0 && bundle.RuntimeError() is { } error) throw new ContainerStartException(runtime.Name, error);
            return new RunResult(exitCode, process.Output) { BundleDirectory = options.Keep ? bundle.Path : null };
        }
    }

    private static ContainerPlan Plan(string rootFilesystem, ContainerConfig config, IReadOnlyList<string> command, RunOptions options, Bundle bundle, RuntimeInvocation invocation)
    {
        var hostNetwork = options.Network switch
        {
            "none" => false,
            "host" => true,
            _ => throw new ContainerConfigurationException($"network \"{options.Network}\": a run with an OCI runtime has none (its own, empty) and host; other networks need docker or podman"),
        };
        using var root = RootDirectory.Open(rootFilesystem);
        var user = ImageUser.Resolve(options.User ?? config.User, root.ReadText("etc/passwd"), root.ReadText("etc/group"));
        var hostname = options.Hostname is { Length: > 0 } given ? given
            : hostNetwork ? System.Environment.MachineName
            : Guid.NewGuid().ToString("N")[..12];
        var userMounts = UserMounts(root, config, options);
        return new ContainerPlan
        {
            RootFilesystem = root.Path,
            Arguments = ProcessSettings.Arguments(config, command, options.Entrypoint),
            Environment = ProcessSettings.Environment(config, options.Environment, hostname, options.Terminal, user.Home),
            WorkingDirectory = ProcessSettings.WorkingDirectory(config, options.WorkingDirectory),
            User = user,
            Hostname = hostname,
            HostNetwork = hostNetwork,
            ReadOnlyRoot = options.ReadOnly,
            Terminal = options.Terminal,
            FileMounts = FileMounts(bundle, hostname, hostNetwork, userMounts),
            UserMounts = userMounts,
            Rootless = OciRuntime.IsRoot ? null : Rootless.Mappings(user, invocation.InOwnUserNamespace),
            Seccomp = SeccompProfile.Load(SeccompProfile.DefaultPath, DockerDefaults.Capabilities),
            OpenFilesLimit = OutputPump.HardOpenFilesLimit(),
        };
    }

    /// <summary>/etc/hostname, /etc/hosts and /etc/resolv.conf, written into the bundle and bound over the image's (unless a user mount takes the place).</summary>
    private static List<OciMount> FileMounts(Bundle bundle, string hostname, bool hostNetwork, IReadOnlyList<OciMount> userMounts)
    {
        var mounts = new List<OciMount>();
        foreach (var (name, content) in new[] { ("resolv.conf", EtcFiles.ResolvConf(hostNetwork)), ("hostname", EtcFiles.Hostname(hostname)), ("hosts", EtcFiles.Hosts(hostNetwork)) })
        {
            var destination = "/etc/" + name;
            if (userMounts.Any(m => m.Destination == destination)) continue;
            mounts.Add(new OciMount(destination, "bind", bundle.WriteFile(name, content), ["rbind", "rprivate"]));
        }
        return mounts;
    }

    /// <summary>
    /// The image's volumes (each bound onto itself: writable even with a read-only root, with the
    /// image's content, as docker's fresh volume copies it), then the binds and tmpfs mounts asked
    /// for, sorted as docker sorts them: shallower destinations first.
    /// </summary>
    private static List<OciMount> UserMounts(RootDirectory root, ContainerConfig config, RunOptions options)
    {
        var mounts = new List<OciMount>();
        var destinations = new HashSet<string>(StringComparer.Ordinal);
        void Add(OciMount mount, string what)
        {
            if (!destinations.Add(mount.Destination)) throw new ContainerConfigurationException($"duplicate mount point: {mount.Destination} ({what})");
            mounts.Add(mount);
        }

        foreach (var mount in options.Mounts)
        {
            ArgumentNullException.ThrowIfNull(mount);
            var destination = CleanDestination(mount.Destination, "-v");
            if (!Path.Exists(mount.Source)) throw new ContainerConfigurationException($"bind source path does not exist: {mount.Source} (-v {mount.Source}:{mount.Destination})");
            Add(new OciMount(destination, "bind", Path.GetFullPath(mount.Source), mount.ReadOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"]), "-v");
        }
        foreach (var tmpfs in options.Tmpfs)
        {
            var colon = tmpfs.IndexOf(':', StringComparison.Ordinal);
            var destination = CleanDestination(colon < 0 ? tmpfs : tmpfs[..colon], "--tmpfs");
            List<string> mountOptions = ["noexec", "nosuid", "nodev"];
            if (colon >= 0) mountOptions.AddRange(tmpfs[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
            Add(new OciMount(destination, "tmpfs", "tmpfs", mountOptions), "--tmpfs");
        }
        foreach (var volume in config.Volumes.Order(StringComparer.Ordinal))
        {
            var destination = CleanDestination(volume, "VOLUME");
            // A bind or tmpfs asked for at the same place replaces the image's volume, as in docker.
            if (destinations.Contains(destination) || destination == "/") continue;
            Add(new OciMount(destination, "bind", root.MakeDirectory(destination), ["rbind", "rprivate"]), "VOLUME");
        }
        return [.. mounts.OrderBy(m => m.Destination.Count(c => c == '/'))];
    }

    private static string CleanDestination(string path, string what)
    {
        if (!path.StartsWith('/')) throw new ContainerConfigurationException($"{what} {path}: the container path must be absolute");
        return ProcessSettings.CleanPath(path);
    }
}
