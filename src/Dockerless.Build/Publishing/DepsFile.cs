using System.Text.Json;

namespace Dockerless.Build.Publishing;

/// <summary>
/// One library of a publish's <c>deps.json</c>: its name, version, type (<c>package</c>,
/// <c>project</c>, <c>runtimepack</c>, <c>reference</c>) and the files it put into the publish
/// directory, as paths relative to it.
/// </summary>
public sealed record DepsLibrary(string Name, string Version, string Type, IReadOnlyList<string> Files, string? Sha512);

/// <summary>
/// Reads a publish's <c>deps.json</c>: which library each published file came from. Runtime and
/// native assets are published flat (<c>lib/net8.0/X.dll</c> becomes <c>X.dll</c>), resource
/// assets under their culture (<c>de/X.resources.dll</c>).
/// </summary>
public static class DepsFile
{
    /// <summary>The libraries of the file's runtime target, in the file's order (the app first).</summary>
    /// <exception cref="InvalidDataException">The file is not a deps.json the SDK writes, named with its line.</exception>
    public static async Task<IReadOnlyList<DepsLibrary>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            return Parse(document.RootElement, path);
        }
    }

    private static List<DepsLibrary> Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("runtimeTarget", out var runtimeTarget) || runtimeTarget.ValueKind != JsonValueKind.Object
            || !runtimeTarget.TryGetProperty("name", out var targetName) || targetName.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("targets", out var targets) || !targets.TryGetProperty(targetName.GetString()!, out var target)
            || target.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: has no runtimeTarget whose name is one of its targets; is it a deps.json written by the .NET SDK?");
        }
        root.TryGetProperty("libraries", out var libraries);
        var result = new List<DepsLibrary>();
        foreach (var library in target.EnumerateObject())
        {
            var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
            var (name, version) = slash < 0 ? (library.Name, "") : (library.Name[..slash], library.Name[(slash + 1)..]);
            string type = "package";
            string? sha512 = null;
            if (libraries.ValueKind == JsonValueKind.Object && libraries.TryGetProperty(library.Name, out var description) && description.ValueKind == JsonValueKind.Object)
            {
                if (description.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String) type = t.GetString()!;
                if (description.TryGetProperty("sha512", out var s) && s.ValueKind == JsonValueKind.String && s.GetString()!.Length > 0) sha512 = s.GetString();
            }
            result.Add(new DepsLibrary(name, version, type, FilesOf(library.Value), sha512));
        }
        return result;
    }

    private static List<string> FilesOf(JsonElement library)
    {
        var files = new List<string>();
        if (library.ValueKind != JsonValueKind.Object) return files;
        foreach (var group in new[] { "runtime", "native" })
        {
            if (!library.TryGetProperty(group, out var assets) || assets.ValueKind != JsonValueKind.Object) continue;
            foreach (var asset in assets.EnumerateObject()) files.Add(Path.GetFileName(asset.Name));
        }
        if (library.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object)
        {
            foreach (var asset in resources.EnumerateObject())
            {
                if (asset.Value.ValueKind == JsonValueKind.Object && asset.Value.TryGetProperty("locale", out var locale) && locale.ValueKind == JsonValueKind.String)
                {
                    files.Add($"{locale.GetString()}/{Path.GetFileName(asset.Name)}");
                }
            }
        }
        return files;
    }
}
