namespace Dockerless.Dockerfiles;

/// <summary>One stage of a Dockerfile: its FROM and the instructions up to the next FROM.</summary>
/// <param name="Index">The stage's position in the file, from 0 (<c>COPY --from=0</c> names it so).</param>
/// <param name="From">The FROM that starts it.</param>
/// <param name="Instructions">Its instructions after the FROM, in order.</param>
public sealed record BuildStage(int Index, FromInstruction From, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>The stage's name in lower case, or null when it has none.</summary>
    public string? Name => From.StageName;
}
