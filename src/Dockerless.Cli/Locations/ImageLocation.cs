namespace Dockerless.Cli.Locations;

/// <summary>
/// Where an image is read from or written to, as skopeo writes it: <c>REF</c> or
/// <c>docker://REF</c>, <c>docker-archive:PATH[:REF]</c>, <c>oci:PATH[:TAG]</c>,
/// <c>oci-archive:PATH[:TAG]</c>, <c>docker-daemon:REF</c>, and <c>scratch</c> (source only).
/// </summary>
internal abstract record ImageLocation
{
    /// <summary>What the user wrote.</summary>
    public required string Text { get; init; }

    /// <summary>Parses a source location.</summary>
    public static ImageLocation ParseSource(string text) => Parse(text, destination: false);

    /// <summary>Parses a destination location; a bare path that looks like a file is refused with a hint.</summary>
    public static ImageLocation ParseDestination(string text) => Parse(text, destination: true);

    private static ImageLocation Parse(string text, bool destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new UsageException("empty image location");
        if (text == "scratch")
        {
            if (destination) throw new UsageException("scratch is a source only: it cannot be written to");
            return new ScratchLocation { Text = text };
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var transport = colon > 0 ? text[..colon] : "";
        var rest = colon > 0 ? text[(colon + 1)..] : "";
        switch (transport)
        {
            case "docker":
                if (!rest.StartsWith("//", StringComparison.Ordinal)) throw new UsageException($"invalid location \"{text}\": write docker://REF");
                return new RegistryLocation { Text = text, Reference = NonEmpty(rest[2..], text, "a reference") };
            case "docker-archive":
                var (archive, archiveRef) = SplitPath(rest, text);
                return new DockerArchiveLocation { Text = text, Path = archive, Reference = archiveRef is null ? null : ArchiveName(archiveRef, text) };
            case "oci":
                var (layout, layoutTag) = SplitPath(rest, text);
                return new OciLayoutLocation { Text = text, Path = layout, Tag = destination ? LayoutName(layoutTag, text) : layoutTag };
            case "oci-archive":
                var (ociArchive, ociArchiveTag) = SplitPath(rest, text);
                return new OciArchiveLocation { Text = text, Path = ociArchive, Tag = destination ? LayoutName(ociArchiveTag, text) : ociArchiveTag };
            case "docker-daemon":
                // Checked now: the engine gets it as an argument, where "-o=..." would be an option.
                return new DaemonLocation { Text = text, Reference = Checked(NonEmpty(rest, text, "a reference"), text) };
        }
        if (LooksLikeFile(text))
        {
            throw new UsageException(
                $"\"{text}\" looks like a file, not an image reference: write docker-archive:{text} (a docker save tar), oci:{text} (an OCI layout directory) or oci-archive:{text}");
        }
        return new RegistryLocation { Text = text, Reference = text };
    }

    /// <summary>True for what a user would mean as a file: starts with <c>.</c> or <c>/</c>, or ends in <c>.tar</c>.</summary>
    public static bool LooksLikeFile(string text) =>
        text.StartsWith('.') || text.StartsWith('/') || text.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits <c>PATH[:REF]</c> at the first colon, as skopeo does (so a path cannot hold a colon).</summary>
    private static (string Path, string? Reference) SplitPath(string rest, string text)
    {
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var path = colon < 0 ? rest : rest[..colon];
        var reference = colon < 0 ? null : rest[(colon + 1)..];
        NonEmpty(path, text, "a path");
        if (reference is { Length: 0 }) throw new UsageException($"invalid location \"{text}\": empty name after the path");
        return (path, reference);
    }

    /// <summary>
    /// An image name in a docker-archive: NAME[:TAG] as docker load takes it (no uppercase
    /// repository, no spaces), never a digest, which an archive has no place for (skopeo refuses it too).
    /// </summary>
    private static string ArchiveName(string reference, string text)
    {
        if (reference.Contains('@', StringComparison.Ordinal)) throw new UsageException($"invalid location \"{text}\": a docker-archive names an image NAME[:TAG], not by digest");
        return Checked(reference, text);
    }

    /// <summary><paramref name="reference"/> when it is a valid image reference, else a usage error naming what is wrong.</summary>
    private static string Checked(string reference, string text)
    {
        try
        {
            ImageReference.Parse(reference);
            return reference;
        }
        catch (InvalidReferenceException e)
        {
            throw new UsageException($"invalid location \"{text}\": {e.Message}");
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
        throw new UsageException(
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
        value.Length > 0 ? value : throw new UsageException($"invalid location \"{text}\": {what} is missing");

    /// <summary>Opens the image for <paramref name="platform"/> (default: the host's, where the source holds several).</summary>
    public abstract Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="image"/> here.</summary>
    public abstract Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public sealed override string ToString() => Text;
}
