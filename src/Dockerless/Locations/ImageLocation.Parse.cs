namespace Dockerless.Locations;

public abstract partial record ImageLocation
{
    /// <summary>
    /// Parses a source location. A text without a transport is a registry reference, unless it
    /// looks like a file (starts with <c>.</c> or <c>/</c>, ends in <c>.tar</c>), which is an error
    /// that says how to write it.
    /// </summary>
    /// <exception cref="InvalidLocationException">The text is no location; the message names what is wrong.</exception>
    public static ImageLocation Parse(string text) => ParseAs(text, destination: false);

    /// <summary>
    /// Parses a destination location: as <see cref="Parse"/>, but <c>scratch</c> is refused and a
    /// name to write into an OCI layout must be one an OCI layout takes.
    /// </summary>
    /// <exception cref="InvalidLocationException">The text is no destination; the message names what is wrong.</exception>
    public static ImageLocation ParseDestination(string text) => ParseAs(text, destination: true);

    /// <summary>
    /// A local file or directory as a source, its format told by its contents: a directory is an
    /// OCI layout; a tar holding an OCI layout and no docker-archive <c>manifest.json</c> is an
    /// oci-archive; any other file is read as a docker-archive.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    public static async Task<ImageLocation> DetectAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return new OciLayoutLocation { Text = "oci:" + path, Path = path };
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or directory", path);
        var contents = await ArchiveContents.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        return contents.Contains(OciLayoutReader.IndexFile) && !contents.Contains(DockerArchiveReader.ManifestFile)
            ? new OciArchiveLocation { Text = "oci-archive:" + path, Path = path }
            : new DockerArchiveLocation { Text = path, Path = path };
    }

    /// <summary>True for what a user would mean as a file: starts with <c>.</c> or <c>/</c>, or ends in <c>.tar</c>.</summary>
    public static bool LooksLikeFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.StartsWith('.') || text.StartsWith('/') || text.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);
    }

    private static ImageLocation ParseAs(string text, bool destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new InvalidLocationException("empty image location");
        if (text == "scratch")
        {
            if (destination) throw new InvalidLocationException("scratch is a source only: it cannot be written to");
            return new ScratchLocation { Text = text };
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var transport = colon > 0 ? text[..colon] : "";
        var rest = colon > 0 ? text[(colon + 1)..] : "";
        switch (transport)
        {
            case "docker":
                if (!rest.StartsWith("//", StringComparison.Ordinal)) throw new InvalidLocationException($"invalid location \"{text}\": write docker://REF");
                return new RegistryLocation { Text = text, Reference = Reference(NonEmpty(rest[2..], text, "a reference"), text) };
            case "docker-archive":
                var (archive, archiveRef) = SplitPath(rest, text);
                if (SourceIndex(archiveRef, text) is { } index)
                {
                    if (destination) throw new InvalidLocationException($"invalid location \"{text}\": @N names an image to read; a destination takes NAME[:TAG]");
                    return new DockerArchiveLocation { Text = text, Path = archive, SourceIndex = index };
                }
                return new DockerArchiveLocation { Text = text, Path = archive, Reference = archiveRef is null ? null : ArchiveName(archiveRef, text) };
            case "oci":
                var (layout, layoutTag) = SplitPath(rest, text);
                return new OciLayoutLocation { Text = text, Path = layout, Tag = destination ? LayoutName(layoutTag, text) : layoutTag };
            case "oci-archive":
                var (ociArchive, ociArchiveTag) = SplitPath(rest, text);
                return new OciArchiveLocation { Text = text, Path = ociArchive, Tag = destination ? LayoutName(ociArchiveTag, text) : ociArchiveTag };
            case "docker-daemon":
                // Checked now: the engine gets it as an argument, where "-o=..." would be an option.
                var daemonRef = NonEmpty(rest, text, "a reference");
                Reference(daemonRef, text);
                return new DaemonLocation { Text = text, Reference = daemonRef };
        }
        if (LooksLikeFile(text))
        {
            throw new InvalidLocationException(
                $"\"{text}\" looks like a file, not an image reference: write docker-archive:{text} (a docker save tar), oci:{text} (an OCI layout directory) or oci-archive:{text}");
        }
        return new RegistryLocation { Text = text, Reference = Reference(text, text) };
    }

    /// <summary>Splits <c>PATH[:REF]</c> at the first colon, as skopeo does (so a path cannot hold a colon).</summary>
    private static (string Path, string? Reference) SplitPath(string rest, string text)
    {
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var path = colon < 0 ? rest : rest[..colon];
        var reference = colon < 0 ? null : rest[(colon + 1)..];
        NonEmpty(path, text, "a path");
        if (reference is { Length: 0 }) throw new InvalidLocationException($"invalid location \"{text}\": empty name after the path");
        return (path, reference);
    }

    /// <summary>
    /// An image name in a docker-archive: NAME[:TAG] as docker load takes it (no uppercase
    /// repository, no spaces), never a digest, which an archive has no place for (skopeo refuses it too).
    /// </summary>
    private static string ArchiveName(string reference, string text)
    {
        if (reference.Contains('@', StringComparison.Ordinal)) throw new InvalidLocationException($"invalid location \"{text}\": a docker-archive names an image NAME[:TAG], not by digest");
        Reference(reference, text);
        return reference;
    }

    /// <summary>The N of a docker-archive's <c>@N</c> (skopeo's source index, 0 for the first image); null when the name is no <c>@</c>.</summary>
    private static int? SourceIndex(string? reference, string text)
    {
        if (reference is null || !reference.StartsWith('@')) return null;
        return int.TryParse(reference.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new InvalidLocationException($"invalid location \"{text}\": after @ comes the number of an image in the archive (@0 for the first)");
    }

    /// <summary><paramref name="reference"/> parsed, or an error naming the location and what is wrong.</summary>
    private static ImageReference Reference(string reference, string text)
    {
        try
        {
            return ImageReference.Parse(reference);
        }
        catch (InvalidReferenceException e)
        {
            throw new InvalidLocationException($"invalid location \"{text}\": {e.Message}");
        }
    }

    /// <summary>
    /// The name to write into an OCI layout (<c>org.opencontainers.image.ref.name</c>), checked
    /// as skopeo checks it: parts joined by '/', each letters and digits with one of
    /// <c>- . _ : @ +</c> or <c>--</c> between them. A source's name is not checked: a layout
    /// written by another tool may hold any, and the user must be able to pick it.
    /// </summary>
    private static string? LayoutName(string? layoutTag, string text)
    {
        if (layoutTag is null || layoutTag.Split('/').All(IsLayoutNamePart)) return layoutTag;
        throw new InvalidLocationException(
            $"invalid location \"{text}\": the name \"{layoutTag}\" is not one an OCI layout takes: letters and digits, with one of - . _ : @ + or -- between them, in parts joined by '/'");
    }

    private static bool IsLayoutNamePart(string part)
    {
        if (part.Length == 0 || !char.IsAsciiLetterOrDigit(part[0]) || !char.IsAsciiLetterOrDigit(part[^1])) return false;
        for (var i = 0; i < part.Length;)
        {
            if (char.IsAsciiLetterOrDigit(part[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (!char.IsAsciiLetterOrDigit(part[i])) i++; // Ends: the last character is one.
            var separator = part.AsSpan(start, i - start);
            if (separator is not "--" && !(separator.Length == 1 && "-._:@+".Contains(separator[0]))) return false;
        }
        return true;
    }

    private static string NonEmpty(string value, string text, string what) =>
        value.Length > 0 ? value : throw new InvalidLocationException($"invalid location \"{text}\": {what} is missing");
}
