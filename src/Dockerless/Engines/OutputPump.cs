namespace Dockerless.Engines;

/// <summary>Copies a child process's output as it comes: to where the caller wants it streamed, and into a capture buffer.</summary>
internal static class OutputPump
{
    public static async Task PumpAsync(Stream source, Stream? sink, MemoryStream? capture)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (sink is not null)
            {
                await sink.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                await sink.FlushAsync().ConfigureAwait(false);
            }
            capture?.Write(buffer, 0, read);
        }
    }

    /// <summary>The captured standard output followed by standard error, as UTF-8 text.</summary>
    public static string Text(MemoryStream stdout, MemoryStream stderr)
        => System.Text.Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length) + System.Text.Encoding.UTF8.GetString(stderr.GetBuffer(), 0, (int)stderr.Length);

    /// <summary>
    /// The hard limit of open files of this process (the soft one .NET raised to it at start), which
    /// a container gets as docker's get dockerd's; 1048576 where /proc does not say.
    /// </summary>
    public static ulong HardOpenFilesLimit()
    {
        const ulong fallback = 1048576;
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: >= 5 } && ulong.TryParse(fields[4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : fallback;
        }
        catch (IOException)
        {
            return fallback;
        }
    }
}
