using System.Security.Cryptography;
using System.Text;

namespace Dockerless.Building.RunSteps;

/// <summary>
/// The step cache's key for a RUN: its parent (the stage's layers by diff_id), the command as
/// run, what the process sees of the stage (Env, User, WorkingDir, network, platform), its mounts
/// as written, the content of what bind mounts bring in (a context directory's files, read; a
/// stage's or image's layers by diff_id) and its scripts. Cache mounts and secrets are not part of
/// it, as in BuildKit: a cache is a cache, and a secret must not leave a trace in the key.
/// </summary>
internal static class RunStepKey
{
    public static async Task<string> ComputeAsync(RunStep run, LayerOptions options, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string field) => hash.AppendData(Encoding.UTF8.GetBytes(field + "\0"));

        Add("RUN v1");
        foreach (var layer in run.Layers) Add(layer.DiffId.ToString());
        Add("command");
        foreach (var argument in run.Command) Add(argument);
        Add("env");
        foreach (var variable in run.Environment) Add(variable);
        Add(run.User);
        Add(run.WorkingDirectory);
        Add(run.Network);
        Add(run.Platform.ToString());
        Add($"{options.Compression} {options.CompressionLevel} {options.ParallelGzip} {options.Timestamp?.ToUnixTimeSeconds()} {options.Uid} {options.Gid}");
        foreach (var script in run.Heredocs) Add($"script {script.Name} {script.Body}");
        for (var i = 0; i < run.Mounts.Count; i++)
        {
            var mount = run.Mounts[i];
            Add($"mount {mount}");
            if (mount.Type != "bind") continue;
            if (run.MountSources.TryGetValue(i, out var layers))
            {
                foreach (var layer in layers) Add(layer.DiffId.ToString());
            }
            else
            {
                var source = Path.Combine(Path.GetFullPath(run.ContextDirectory), GoPaths.Clean("/" + (mount.Source ?? "")).TrimStart('/'));
                if (Path.Exists(source)) await AddTreeAsync(hash, source, "", cancellationToken).ConfigureAwait(false);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Every name, kind, mode, link target and file content under <paramref name="path"/>, in order.</summary>
    private static async Task AddTreeAsync(IncrementalHash hash, string path, string relative, CancellationToken cancellationToken)
    {
        var info = HostFileInfo.Read(path);
        hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{info.Kind}\0{(int)info.Mode}\0{info.Size}\0"));
        switch (info.Kind)
        {
            case HostFileKind.Directory:
                foreach (var child in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
                {
                    await AddTreeAsync(hash, child, relative + "/" + Path.GetFileName(child), cancellationToken).ConfigureAwait(false);
                }
                break;
            case HostFileKind.SymbolicLink:
                hash.AppendData(Encoding.UTF8.GetBytes(new FileInfo(path).LinkTarget ?? ""));
                break;
            case HostFileKind.Regular:
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (stream.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) hash.AppendData(buffer, 0, read);
                }
                break;
        }
    }
}
