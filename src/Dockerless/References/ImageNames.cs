namespace Dockerless.References;

/// <summary>Compares image names as docker does, short forms included.</summary>
internal static class ImageNames
{
    /// <summary>
    /// Equal names: <c>app</c>, <c>library/app</c> and <c>docker.io/library/app</c> are one, as
    /// <see cref="ImageReference"/> normalises them; a name that is no reference is compared as written.
    /// </summary>
    public static bool Same(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal);

    private static string Canonical(string name) => ImageReference.TryParse(name, out var reference) ? reference.Name : name;
}
