using System.Text.Json;
using Dockerless.Unpacking;

namespace Dockerless.Running;

/// <summary>
/// One container's OCI bundle, <c>CACHE/run/ID</c>: config.json, the /etc files mounted into the
/// container, the runtime's state directory and log, and (for an image run) the root filesystem.
/// Removed on dispose, whatever happened, unless kept (its root filesystem then stays mounted, for
/// inspection); anything still mounted under it is unmounted first, so the removal never reaches
/// through a mount.
/// </summary>
internal sealed class Bundle : IAsyncDisposable
{
    private const uint PrivateDirectory = 0x1C0;
    private readonly bool _keep;

    private Bundle(string path, string id, bool keep)
    {
        Path = path;
        Id = id;
        _keep = keep;
    }

    /// <summary>The container's id for the runtime (also the bundle's directory name).</summary>
    public string Id { get; }

    public string Path { get; }

    /// <summary>The runtime's <c>--root</c>: its state lives and dies with the bundle.</summary>
    public string StateDirectory => System.IO.Path.Combine(Path, "state");

    public string LogFile => System.IO.Path.Combine(Path, "runtime.log");

    /// <summary>Where an image run puts the root filesystem.</summary>
    public string RootFilesystem => System.IO.Path.Combine(Path, "rootfs");

    public static Bundle Create(string cacheDirectory, bool keep)
    {
        var parent = System.IO.Path.Combine(cacheDirectory, "run");
        System.IO.Directory.CreateDirectory(parent);
        // Short, as docker's: the runtime's state paths (and crun's socket) must stay short.
        var id = "dl-" + Guid.NewGuid().ToString("N")[..12];
        var path = System.IO.Path.Combine(parent, id);
        Syscalls.Check(Syscalls.MakeDirectoryAt(-100, path, PrivateDirectory), "make directory", path);
        return new Bundle(path, id, keep);
    }

    /// <summary>Writes a file of the bundle (mode 0644: the container's users read the /etc files).</summary>
    public string WriteFile(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        Syscalls.Check(Syscalls.ChangeModeOfPath(path, 0x1A4), "change mode", path);
        return path;
    }

    public void WriteSpec(OciSpec spec)
        => File.WriteAllBytes(System.IO.Path.Combine(Path, "config.json"), JsonSerializer.SerializeToUtf8Bytes(spec, OciSpecJsonContext.Default.OciSpec));

    /// <summary>The runtime's own error, from its JSON log (runc and crun both write one), or null when it logged none.</summary>
    public string? RuntimeError()
    {
        if (!File.Exists(LogFile)) return null;
        string? error = null;
        foreach (var line in File.ReadLines(LogFile))
        {
            try
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && entry.RootElement.TryGetProperty("msg", out var message))
                {
                    error = message.GetString();
                }
            }
            catch (JsonException)
            {
                // A line that is not JSON is not the runtime's verdict.
            }
        }
        return error;
    }

    public ValueTask DisposeAsync()
    {
        if (_keep) return ValueTask.CompletedTask;
        Mounts.UnmountUnder(Path);
        using var parent = FileDescriptor.Open(-100, System.IO.Path.GetDirectoryName(Path)!, Syscalls.Path | Syscalls.Directory, Path);
        TreeRemover.Remove(parent.Value, System.IO.Path.GetFileName(Path), Path);
        return ValueTask.CompletedTask;
    }
}
