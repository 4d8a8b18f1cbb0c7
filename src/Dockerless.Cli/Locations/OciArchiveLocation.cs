using System.Formats.Tar;

namespace Dockerless.Cli.Locations;

/// <summary><c>oci-archive:PATH[:TAG]</c>: an OCI image layout in one tar.</summary>
internal sealed record OciArchiveLocation : ImageLocation
{
    public required string Path { get; init; }

    /// <summary>The image's <c>org.opencontainers.image.ref.name</c> in the layout, if given.</summary>
    public string? Tag { get; init; }

    public override async Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
    {
        var images = await Image.LoadAsync(Path, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, Tag, tagOnly: true, platform).ConfigureAwait(false);
    }

    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        if (Tag is not null) image.Tag = Tag;
        var layout = context.TemporaryPath("oci-archive-" + Guid.NewGuid().ToString("N")[..8]);
        await image.WriteOciLayoutAsync(layout, cancellationToken).ConfigureAwait(false);
        var full = System.IO.Path.GetFullPath(Path);
        var temporary = full + ".dockerless-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await TarDirectoryAsync(layout, temporary, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
            Directory.Delete(layout, recursive: true);
        }
    }

    /// <summary>Tars a layout directory reproducibly: sorted entries, fixed time, owner 0.</summary>
    private static async Task TarDirectoryAsync(string directory, string archive, CancellationToken cancellationToken)
    {
        var output = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await using (output.ConfigureAwait(false))
        {
            var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                var entries = Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
                    .Select(p => (Full: p, Name: System.IO.Path.GetRelativePath(directory, p).Replace('\\', '/')))
                    .OrderBy(e => e.Name, StringComparer.Ordinal);
                foreach (var (full, name) in entries)
                {
                    var isDirectory = Directory.Exists(full);
                    var entry = new PaxTarEntry(isDirectory ? TarEntryType.Directory : TarEntryType.RegularFile, isDirectory ? name + "/" : name)
                    {
                        ModificationTime = Image.DefaultTimestamp,
                        Mode = isDirectory
                            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    };
                    if (isDirectory)
                    {
                        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    var data = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
                    await using (data.ConfigureAwait(false))
                    {
                        entry.DataStream = data;
                        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }
}
