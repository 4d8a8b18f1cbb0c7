namespace Dockerless.Sbom;

/// <summary>
/// The packages an image's files list (dpkg, apk, .NET deps.json, npm, Python dist-info), written
/// as SPDX 2.3 or CycloneDX 1.5 JSON. Made by streaming the image's layers once, whiteouts applied,
/// keeping only the package databases.
/// </summary>
public sealed class SoftwareBillOfMaterials
{
    private SoftwareBillOfMaterials(string name, Digest digest, DateTimeOffset created, IReadOnlyList<SoftwarePackage> packages, IReadOnlyList<string> notes)
    {
        Name = name;
        ImageDigest = digest;
        Created = created;
        Packages = packages;
        Notes = notes;
    }

    /// <summary>The image's name, as the document names its subject.</summary>
    public string Name { get; }

    /// <summary>The digest of the image's manifest.</summary>
    public Digest ImageDigest { get; }

    /// <summary>When the document says it was made.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The packages found, sorted by type, name, version and location.</summary>
    public IReadOnlyList<SoftwarePackage> Packages { get; }

    /// <summary>What was found but not read (an rpm database, a file that is not JSON), one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Reads the package databases of <paramref name="image"/>. <paramref name="name"/> names it in
    /// the document (default: its name and tag); <paramref name="created"/> defaults to
    /// SOURCE_DATE_EPOCH when set, else the image's own created time, so that the same image gives
    /// the same document.
    /// </summary>
    public static async Task<SoftwareBillOfMaterials> CreateAsync(Image image, string? name = null, DateTimeOffset? created = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (files, unread) = await ImageFileScan.ReadAsync(image, PackageDatabases.IsWanted, PackageDatabases.IsUnread, cancellationToken).ConfigureAwait(false);
        var os = files.TryGetValue(PackageDatabases.OsReleasePath, out var release) || files.TryGetValue(PackageDatabases.LibOsReleasePath, out release)
            ? OsRelease.Parse(System.Text.Encoding.UTF8.GetString(release))
            : new OsRelease(null, null);
        var notes = unread.Select(p => $"/{p}: an rpm database, not read by this version").ToList();
        var packages = files.SelectMany(f => PackageDatabases.Read(f.Key, f.Value, os, notes))
            .Distinct()
            .OrderBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Version, StringComparer.Ordinal).ThenBy(p => p.Location, StringComparer.Ordinal)
            .ToList();
        var when = created ?? (Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { Length: > 0 } ? Image.DefaultTimestamp : image.Created ?? Image.DefaultTimestamp);
        var subject = name ?? (image.Name.Length == 0 ? image.GetDigest().ToString() : $"{image.Name}:{image.Tag}");
        return new SoftwareBillOfMaterials(subject, image.GetDigest(), when.ToUniversalTime(), packages, notes);
    }

    /// <summary>Writes the document as <paramref name="format"/> to <paramref name="destination"/>.</summary>
    public Task WriteAsync(Stream destination, SbomFormat format = SbomFormat.SpdxJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return format switch
        {
            SbomFormat.SpdxJson => SpdxDocument.WriteAsync(this, destination, cancellationToken),
            SbomFormat.CycloneDxJson => CycloneDxDocument.WriteAsync(this, destination, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an SBOM format"),
        };
    }

    /// <summary>Writes the document into the file <paramref name="path"/>, atomically: a failure leaves no partial file.</summary>
    public Task WriteAsync(string path, SbomFormat format = SbomFormat.SpdxJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AtomicOutput.WriteFileAsync(path, file => WriteAsync(file, format, cancellationToken), cancellationToken);
    }

    /// <summary>The version of this library, as the documents name their creator.</summary>
    internal static string ToolVersion { get; } = typeof(SoftwareBillOfMaterials).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    /// <summary>A stable identifier made from <paramref name="text"/>: the first hex digits of its sha256.</summary>
    internal static string StableId(string text, int length = 16) => Digest.Compute(System.Text.Encoding.UTF8.GetBytes(text)).Encoded[..length];
}
