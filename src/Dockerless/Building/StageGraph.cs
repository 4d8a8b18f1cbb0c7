namespace Dockerless.Building;

/// <summary>Which stages a target needs: those its FROM, <c>COPY --from</c> and <c>RUN --mount from=</c> name, and theirs.</summary>
internal static class StageGraph
{
    /// <summary>Every stage <paramref name="target"/> needs, itself included.</summary>
    public static IReadOnlyList<int> Needed(BuildSession session, BuildStage target)
    {
        var needed = new SortedSet<int>();
        var pending = new Stack<BuildStage>([target]);
        while (pending.TryPop(out var stage))
        {
            if (!needed.Add(stage.Index)) continue;
            foreach (var reference in References(session, stage))
            {
                if (session.Input.Stages.Find(reference) is { } other && other.Index < stage.Index) pending.Push(other);
            }
        }
        return [.. needed];
    }

    /// <summary>What a stage names as a base or a source, expanded with the global ARGs.</summary>
    private static IEnumerable<string> References(BuildSession session, BuildStage stage)
    {
        yield return session.Expand(stage.From.BaseName, session.GlobalArgs, stage.From);
        foreach (var instruction in stage.Instructions)
        {
            if (instruction is CopyInstruction { From: { } from }) yield return session.Expand(from, session.GlobalArgs, instruction);
        }
    }

    /// <summary>The stage <paramref name="name"/> names for <paramref name="stage"/>: an earlier one, else null (an image).</summary>
    public static BuildStage? EarlierStage(BuildSession session, BuildStage stage, string name) =>
        session.Input.Stages.Find(name) is { } found && found.Index < stage.Index ? found : null;
}
