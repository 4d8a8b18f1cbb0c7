namespace Dockerless.Build.Publishing;

/// <summary>
/// The layers an app is split into, bottom first, as Jib splits a Java app: what changes least
/// goes lowest, so that a code change rebuilds only the top layer.
/// </summary>
public enum LayerKind
{
    /// <summary>The .NET runtime of a self-contained publish (the runtime pack's files).</summary>
    Runtime,

    /// <summary>The NuGet packages' assemblies, native libraries and resources.</summary>
    Packages,

    /// <summary>The assemblies of the project's project references.</summary>
    Projects,

    /// <summary>The app itself: its assembly, its deps.json and runtimeconfig.json, content, everything else.</summary>
    App,
}
