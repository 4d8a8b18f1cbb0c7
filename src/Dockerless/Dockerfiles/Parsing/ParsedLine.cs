namespace Dockerless.Dockerfiles;

/// <summary>One logical line split into keyword, flags and arguments, before its heredocs and lines are known.</summary>
internal sealed record ParsedLine(
    string Keyword,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Arguments,
    bool IsJsonForm,
    ParsedLine? Trigger,
    string Original)
{
    private static readonly string[] HeredocInstructions = ["ADD", "COPY", "RUN"];

    /// <summary>Whether the instruction (or the one ONBUILD registers) takes heredocs: a shell-form RUN, COPY or ADD.</summary>
    public bool CanContainHeredoc
    {
        get
        {
            var instruction = Trigger ?? this;
            return HeredocInstructions.Contains(instruction.Keyword.ToUpperInvariant()) && !instruction.IsJsonForm;
        }
    }

    /// <summary>The node for this line, spanning <paramref name="startLine"/> to <paramref name="endLine"/>.</summary>
    public DockerfileNode ToNode(IReadOnlyList<Heredoc> heredocs, IReadOnlyList<string> comments, int startLine, int endLine) =>
        new(Keyword, Flags, Arguments, IsJsonForm, Trigger?.ToNode(heredocs, [], startLine, endLine), Original, heredocs, comments, startLine, endLine);
}
