using System.Globalization;
using Dockerless.Building.RunSteps;
using Dockerless.Unpacking;

namespace Dockerless.Building;

/// <summary>
/// Runs RUN with an OCI runtime (<c>runc</c>, <c>crun</c>) and no daemon: the stage's layers are
/// unpacked into the run's work directory (<see cref="RunStep.WorkDirectory"/>), the command runs there as
/// <see cref="OciRuntime.RunAsync"/> runs it (the stage's Env, User and WorkingDir; no network
/// unless <c>--network=host</c>), and a walk of the tree before and after gives the changes as a
/// layer. Linux only; a RUN for another architecture is refused.
/// </summary>
/// <param name="runtime">The runtime; null takes the first of <see cref="OciRuntime.KnownRuntimes"/> installed.</param>
/// <param name="output">Where the command's output (standard output and error) is shown as it runs; null shows it nowhere.</param>
public sealed class OciRunExecutor(OciRuntime? runtime = null, Stream? output = null) : IRunExecutor
{
    /// <summary>BuildKit's host name for a RUN's container.</summary>
    private const string Hostname = "buildkitsandbox";

    private readonly Stream? _output = output is null ? null : Stream.Synchronized(output);

    /// <inheritdoc/>
    public async Task<LayerBuilder?> RunAsync(RunStep run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var host = Platform.Host;
        if (run.Platform.Os != "linux" || run.Platform.Architecture != host.Architecture)
        {
            throw new DockerlessException($"RUN for {run.Platform} cannot run on this {host.Os}/{host.Architecture} machine: Dockerless does not emulate other architectures; build {run.Platform} on such a machine, or build without RUN");
        }
        var oci = runtime ?? OciRuntime.Find();
        var work = run.WorkDirectory;
        var root = Path.Combine(work, "rootfs");
        await Unpacker.UnpackAsync(run.Layers, root, UnpackOptions.Default, cancellationToken).ConfigureAwait(false);
        var before = RootSnapshot.Take(root, cancellationToken);
        using var mounts = await RunMounts.PrepareAsync(run, work, cancellationToken).ConfigureAwait(false);
        foreach (var script in run.Heredocs)
        {
            var file = Path.Combine(work, "pipes", script.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, script.Body, cancellationToken).ConfigureAwait(false);
            RunMounts.SetMode(file, 0x1ED);
            mounts.Binds.Add(new BindMount(file, "/dev/pipes/" + script.Name, ReadOnly: true));
        }
        var config = new ContainerConfig
        {
            Env = [.. run.Environment, .. mounts.Environment],
            User = run.User,
            WorkingDir = run.WorkingDirectory,
        };
        var options = new RunOptions
        {
            Network = run.Network == "host" ? "host" : "none",
            Mounts = mounts.Binds,
            Tmpfs = mounts.Tmpfs,
            Hostname = Hostname,
            StandardOutput = _output,
            StandardError = _output,
            CaptureOutput = false,
            CacheDirectory = work,
        };
        var result = await oci.RunAsync(root, config, run.Command, options, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DockerlessException(string.Create(CultureInfo.InvariantCulture, $"process \"{string.Join(' ', run.Command)}\" did not complete successfully: exit code: {result.ExitCode}"));
        }
        var after = RootSnapshot.Take(root, cancellationToken);
        string[] files = ["etc/hosts", "etc/hostname", "etc/resolv.conf"];
        return RootChanges.Collect(before, after, files.Concat(mounts.Destinations), keepOwners: Syscalls.EffectiveUserId() == 0);
    }
}
