namespace Dockerless.Sbom;

/// <summary>The distribution an image says it is (<c>/etc/os-release</c>): its ID and VERSION_ID, for the purls of its packages.</summary>
internal sealed record OsRelease(string? Id, string? VersionId)
{
    /// <summary>The purl <c>distro</c> qualifier, <c>debian-12</c>; null when the image names none.</summary>
    public string? Distro => Id is null ? null : VersionId is null ? Id : $"{Id}-{VersionId}";

    public static OsRelease Parse(string text)
    {
        var fields = PackageText.Lines(text)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim().Trim('"', '\''), StringComparer.Ordinal);
        return new OsRelease(fields.GetValueOrDefault("ID"), fields.GetValueOrDefault("VERSION_ID"));
    }
}
