using System.Formats.Tar;
using System.IO.Pipelines;

namespace Dockerless.Sbom;

/// <summary>
/// Reads chosen files of an image's merged filesystem (whiteouts applied) by streaming its export
/// through a pipe: every layer is read once, start to end, and only the chosen files are kept.
/// </summary>
internal static class ImageFileScan
{
    /// <summary>The largest file kept; a package database is far smaller.</summary>
    public const long MaxFileSize = 256L * 1024 * 1024;

    /// <summary>The contents of the regular files whose relative paths <paramref name="keep"/> accepts, and the paths <paramref name="note"/> accepts (their contents not read).</summary>
    public static async Task<(SortedDictionary<string, byte[]> Files, List<string> Noted)> ReadAsync(Image image, Func<string, bool> keep, Func<string, bool> note, CancellationToken cancellationToken)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var noted = new List<string>();
        var pipe = new Pipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var export = ExportAsync(image, pipe.Writer, stop.Token);
        try
        {
            var stream = pipe.Reader.AsStream();
            await using (stream.ConfigureAwait(false))
            {
                var tar = new TarReader(stream, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    while (await tar.GetNextEntryAsync(copyData: false, stop.Token).ConfigureAwait(false) is { } entry)
                    {
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                        var path = Relative(entry.Name);
                        if (note(path)) noted.Add(path);
                        if (!keep(path) || entry.DataStream is null) continue;
                        if (entry.Length > MaxFileSize) throw new InvalidLayerException(image.ToString(), "/" + path, $"{entry.Length} bytes: a package database over {MaxFileSize} bytes is not read");
                        using var buffer = new MemoryStream((int)entry.Length);
                        await entry.DataStream.CopyToAsync(buffer, stop.Token).ConfigureAwait(false);
                        files[path] = buffer.ToArray();
                    }
                }
                // The end-of-archive blocks the reader did not need: the writer finishes on them.
                await stream.CopyToAsync(Stream.Null, stop.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await export.ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // The export was stopped because reading failed: that failure is the one to report.
            }
            throw;
        }
        await export.ConfigureAwait(false);
        return (files, noted);
    }

    private static async Task ExportAsync(Image image, PipeWriter writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await image.ExportAsync(writer.AsStream(leaveOpen: true), cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    private static string Relative(string name)
    {
        var path = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        return path.TrimStart('/');
    }
}
