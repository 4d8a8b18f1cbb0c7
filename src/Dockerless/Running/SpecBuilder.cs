namespace Dockerless.Running;

/// <summary>
/// Writes a <see cref="ContainerPlan"/> as the runtime's config.json, with what docker gives every
/// container: its namespaces, mounts, capabilities, masked and read-only paths, device rules and
/// seccomp profile. Rootless, as <c>runc spec --rootless</c>: a user namespace, no device cgroup,
/// /sys bound from the host when there is no network namespace to mount a sysfs in.
/// </summary>
internal static class SpecBuilder
{
    private const string SixtyFourMegabytes = "size=65536k";

    public static OciSpec Build(ContainerPlan plan)
    {
        return new OciSpec
        {
            Process = new OciProcess
            {
                Terminal = plan.Terminal,
                // runc refuses supplementary groups to any rootless container (a namespace whose
                // user wrote its own gid map must deny setgroups(2) anyway).
                User = new OciUser(plan.User.Uid, plan.User.Gid, plan.Rootless is null ? plan.User.AdditionalGids : null),
                Args = plan.Arguments,
                Env = plan.Environment,
                Cwd = plan.WorkingDirectory,
                // As docker asks for every user: the kernel clears a non-root user's effective and permitted sets at exec.
                Capabilities = new OciCapabilities(DockerDefaults.Capabilities, DockerDefaults.Capabilities, DockerDefaults.Capabilities, []),
                Rlimits = [new OciRlimit("RLIMIT_NOFILE", plan.OpenFilesLimit, plan.OpenFilesLimit)],
            },
            Root = new OciRoot(plan.RootFilesystem, plan.ReadOnlyRoot),
            Hostname = plan.Hostname,
            Mounts = [.. SystemMounts(plan), .. plan.FileMounts, .. plan.UserMounts],
            Linux = new OciLinux
            {
                UidMappings = plan.Rootless?.Uids,
                GidMappings = plan.Rootless?.Gids,
                Namespaces = Namespaces(plan),
                Resources = plan.Rootless is null ? new OciResources(DockerDefaults.DeviceRules) : null,
                MaskedPaths = DockerDefaults.MaskedPaths,
                ReadonlyPaths = DockerDefaults.ReadonlyPaths,
                Seccomp = plan.Seccomp,
            },
        };
    }

    private static List<OciNamespace> Namespaces(ContainerPlan plan)
    {
        List<OciNamespace> namespaces = [new("pid"), new("ipc"), new("uts"), new("mount")];
        if (!plan.HostNetwork) namespaces.Add(new("network"));
        // docker gives a private cgroup namespace where the host has cgroup v2 only.
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers")) namespaces.Add(new("cgroup"));
        if (plan.Rootless is not null) namespaces.Add(new("user"));
        return namespaces;
    }

    private static IEnumerable<OciMount> SystemMounts(ContainerPlan plan)
    {
        yield return new OciMount("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
        yield return new OciMount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", SixtyFourMegabytes]);
        // Group 5 (tty) is not mapped in a rootless container's namespace.
        List<string> pts = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"];
        if (plan.Rootless is null) pts.Add("gid=5");
        yield return new OciMount("/dev/pts", "devpts", "devpts", pts);
        // A sysfs can be mounted only by who owns the network namespace: not a rootless user on the host's.
        yield return plan.Rootless is not null && plan.HostNetwork
            ? new OciMount("/sys", "none", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
            : new OciMount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]);
        yield return new OciMount("/sys/fs/cgroup", "cgroup", "cgroup", ["ro", "nosuid", "noexec", "nodev"]);
        yield return new OciMount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
        yield return new OciMount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", SixtyFourMegabytes]);
    }
}
