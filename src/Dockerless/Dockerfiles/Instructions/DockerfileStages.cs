namespace Dockerless.Dockerfiles;

/// <summary>A Dockerfile's instructions grouped as BuildKit groups them: the global ARGs, then one stage per FROM.</summary>
/// <param name="GlobalArgs">The ARG instructions before the first FROM (usable in FROM lines and, once redeclared, in stages).</param>
/// <param name="Stages">The stages in file order.</param>
public sealed record DockerfileStages(IReadOnlyList<ArgInstruction> GlobalArgs, IReadOnlyList<BuildStage> Stages)
{
    /// <summary>
    /// The stage named <paramref name="name"/> (compared as BuildKit does, ignoring case) or, when
    /// <paramref name="name"/> is a number, the stage at that index; null when there is none.
    /// </summary>
    public BuildStage? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var named = Stages.FirstOrDefault(s => s.Name is not null && s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (named is not null) return named;
        return int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index < Stages.Count ? Stages[index] : null;
    }
}
