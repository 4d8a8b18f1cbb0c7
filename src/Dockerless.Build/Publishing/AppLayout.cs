namespace Dockerless.Build.Publishing;

/// <summary>
/// Sorts a publish directory's files into <see cref="LayerKind"/>s with its deps.json: a file a
/// runtime pack put there is <see cref="LayerKind.Runtime"/>, a NuGet package's
/// <see cref="LayerKind.Packages"/>, another project's (with the .pdb and .xml beside its
/// assemblies) <see cref="LayerKind.Projects"/>; the app's own assembly, .pdb, .xml and satellite
/// assemblies are <see cref="LayerKind.App"/>; the rest (apphost, deps.json, runtimeconfig.json,
/// content) is <see cref="LayerKind.Resources"/>.
/// </summary>
public sealed class AppLayout
{
    private AppLayout(IReadOnlyDictionary<LayerKind, IReadOnlyList<string>> files, IReadOnlyList<string> emptyDirectories)
    {
        Files = files;
        EmptyDirectories = emptyDirectories;
    }

    /// <summary>Each kind's files, as paths relative to the publish directory with <c>/</c> separators, sorted.</summary>
    public IReadOnlyDictionary<LayerKind, IReadOnlyList<string>> Files { get; }

    /// <summary>Directories with no file below them (kept in the resources layer, as the publish made them).</summary>
    public IReadOnlyList<string> EmptyDirectories { get; }

    /// <summary>Sorts <paramref name="publishDirectory"/>'s files; <paramref name="appAssembly"/> is the app's own file name (its project is the app, not a reference).</summary>
    public static AppLayout Create(string publishDirectory, IReadOnlyList<DepsLibrary> libraries, string appAssembly)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        var owner = new Dictionary<string, LayerKind>(StringComparer.Ordinal);
        foreach (var library in libraries)
        {
            var kind = KindOf(library, appAssembly);
            if (kind == LayerKind.Resources) continue;
            foreach (var file in library.Files.SelectMany(WithSymbols))
            {
                // The lowest kind wins: a file two libraries name stays with the one that changes least.
                if (!owner.TryGetValue(file, out var existing) || kind < existing) owner[file] = kind;
            }
        }
        foreach (var file in WithSymbols(appAssembly)) owner.TryAdd(file, LayerKind.App);
        var files = Enum.GetValues<LayerKind>().ToDictionary(k => k, _ => new List<string>());
        var empty = new List<string>();
        Walk(publishDirectory, "");
        return new AppLayout(
            files.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Order(StringComparer.Ordinal)]),
            [.. empty.Order(StringComparer.Ordinal)]);

        bool Walk(string directory, string relative)
        {
            var any = false;
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
            {
                var path = relative.Length == 0 ? Path.GetFileName(entry) : $"{relative}/{Path.GetFileName(entry)}";
                if (Directory.Exists(entry) && (File.GetAttributes(entry) & FileAttributes.ReparsePoint) == 0)
                {
                    if (!Walk(entry, path)) empty.Add(path);
                    any = true;
                    continue;
                }
                files[owner.GetValueOrDefault(path, LayerKind.Resources)].Add(path);
                any = true;
            }
            return any;
        }
    }

    private static LayerKind KindOf(DepsLibrary library, string appAssembly) => library.Type switch
    {
        "runtimepack" => LayerKind.Runtime,
        "package" => LayerKind.Packages,
        "project" when !library.Files.Contains(appAssembly, StringComparer.Ordinal) => LayerKind.Projects,
        "project" => LayerKind.App,
        _ => LayerKind.Resources,
    };

    /// <summary>An assembly and the symbols and documentation the build puts beside it.</summary>
    private static IEnumerable<string> WithSymbols(string file)
    {
        yield return file;
        if (!file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) yield break;
        yield return file[..^4] + ".pdb";
        yield return file[..^4] + ".xml";
    }
}
