namespace Dockerless.Running;

/// <summary>A host path mounted into the container, as <c>docker run -v HOST:CONTAINER[:ro]</c> mounts it.</summary>
/// <param name="Source">The host file or directory (made absolute from the current directory); it must exist.</param>
/// <param name="Destination">Where it appears in the container: an absolute path.</param>
/// <param name="ReadOnly">Mounted read-only.</param>
public sealed record BindMount(string Source, string Destination, bool ReadOnly = false)
{
    /// <summary>
    /// Parses docker's short form, <c>HOST:CONTAINER</c> or <c>HOST:CONTAINER:ro</c> (or <c>:rw</c>).
    /// A named volume (a HOST without a slash) is refused: there are none without a daemon.
    /// </summary>
    public static BindMount Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new FormatException($"invalid volume \"{value}\": expected HOST:CONTAINER or HOST:CONTAINER:ro");
        }
        var readOnly = parts.Length == 3 && parts[2] switch
        {
            "ro" => true,
            "rw" => false,
            _ => throw new FormatException($"invalid volume \"{value}\": unknown mode \"{parts[2]}\" (ro or rw)"),
        };
        if (!parts[0].Contains('/', StringComparison.Ordinal) && parts[0] != "." && parts[0] != "..")
        {
            throw new FormatException($"invalid volume \"{value}\": \"{parts[0]}\" is a named volume, which needs a daemon; give a host path (./{parts[0]})");
        }
        if (!parts[1].StartsWith('/')) throw new FormatException($"invalid volume \"{value}\": the container path \"{parts[1]}\" is not absolute");
        return new BindMount(Path.GetFullPath(parts[0]), parts[1], readOnly);
    }
}
