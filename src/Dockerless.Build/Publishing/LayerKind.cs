namespace Dockerless.Build.Publishing;

/// <summary>
/// The layers an app is split into, bottom first, as Jib splits a Java app (dependencies,
/// resources, classes): what changes least goes lowest, so that a code change rebuilds only the
/// top layer, which holds the app's code alone.
/// </summary>
public enum LayerKind
{
    /// <summary>The .NET runtime of a self-contained publish (the runtime pack's files).</summary>
    Runtime,

    /// <summary>The NuGet packages' assemblies, native libraries and resources.</summary>
    Packages,

    /// <summary>The assemblies of the project's project references.</summary>
    Projects,

    /// <summary>
    /// What the app ships beside its code and changes seldom: its apphost, deps.json and
    /// runtimeconfig.json, content (appsettings.json, wwwroot), every other file.
    /// </summary>
    Resources,

    /// <summary>The app's code: its own assembly, its symbols and documentation, its satellite assemblies.</summary>
    App,
}
