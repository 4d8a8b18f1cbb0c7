namespace Dockerless.Layers;

/// <summary>
/// The OCI/AUFS whiteout convention: an empty file <c>.wh.NAME</c> deletes NAME from the layers
/// below; <c>.wh..wh..opq</c> in a directory hides everything the lower layers put in it.
/// </summary>
internal static class Whiteouts
{
    public const string Prefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>The whiteout entry that deletes <paramref name="path"/> (normalised).</summary>
    public static string For(string path) => TarPath.Join(TarPath.Parent(path), Prefix + TarPath.Name(path));

    /// <summary>The marker entry that makes directory <paramref name="directory"/> opaque.</summary>
    public static string OpaqueFor(string directory) => TarPath.Join(directory, OpaqueMarker);

    /// <summary>
    /// Classifies a normalised entry path: an opaque marker (gives the directory), a whiteout
    /// (gives the deleted path), or neither.
    /// </summary>
    public static (bool IsOpaque, string? Target) Parse(string path)
    {
        var name = TarPath.Name(path);
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return (false, null);
        var directory = TarPath.Parent(path);
        return name == OpaqueMarker ? (true, directory) : (false, TarPath.Join(directory, name[Prefix.Length..]));
    }
}
