using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// One instruction as BuildKit's parser reads it, before its arguments are checked or expanded:
/// the keyword, the <c>--flags</c>, the argument words and the heredocs.
/// </summary>
public sealed class DockerfileNode
{
    internal DockerfileNode(
        string keyword,
        IReadOnlyList<string> flags,
        IReadOnlyList<string> arguments,
        bool isJsonForm,
        DockerfileNode? trigger,
        string original,
        IReadOnlyList<Heredoc> heredocs,
        IReadOnlyList<string> comments,
        int startLine,
        int endLine)
    {
        Keyword = keyword;
        Flags = flags;
        Arguments = arguments;
        IsJsonForm = isJsonForm;
        Trigger = trigger;
        Original = original;
        Heredocs = heredocs;
        Comments = comments;
        StartLine = startLine;
        EndLine = endLine;
    }

    /// <summary>The keyword as written (<c>RUN</c>, <c>run</c>).</summary>
    public string Keyword { get; }

    /// <summary>The keyword in upper case, for comparing: <c>RUN</c>.</summary>
    public string Instruction => Keyword.ToUpperInvariant();

    /// <summary>The <c>--name=value</c> flags written before the arguments, as written, quotes removed; a <c>--</c> ends them and is not kept.</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>
    /// The arguments as BuildKit's parser splits them for this instruction: the JSON strings of an
    /// exec form; one string holding the rest of the line for a shell form (RUN, CMD, ENTRYPOINT,
    /// SHELL) or a single-value instruction (USER, WORKDIR, MAINTAINER, STOPSIGNAL); words for
    /// FROM, EXPOSE, ARG, COPY, ADD and VOLUME; key, value and separator (<c>=</c>, or empty for
    /// the legacy <c>ENV key value</c>) triples for ENV and LABEL; the type then the command
    /// for HEALTHCHECK. Empty for ONBUILD (see <see cref="Trigger"/>) and unknown instructions.
    /// </summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Whether the arguments were a JSON array of strings (the exec form).</summary>
    public bool IsJsonForm { get; }

    /// <summary>For ONBUILD, the instruction it registers; otherwise null.</summary>
    public DockerfileNode? Trigger { get; }

    /// <summary>The instruction's text with its continuation lines joined and comments dropped (heredoc bodies not included).</summary>
    public string Original { get; }

    /// <summary>The heredocs of a RUN, COPY or ADD (or of the ONBUILD that registers one), in the order they were opened.</summary>
    public IReadOnlyList<Heredoc> Heredocs { get; }

    /// <summary>The comment lines right above the instruction, without their <c>#</c>; an empty comment line starts them anew.</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>The line (from 1) the instruction starts on.</summary>
    public int StartLine { get; }

    /// <summary>The line its continuation lines and heredoc bodies end on.</summary>
    public int EndLine { get; }

    /// <summary>The node in BuildKit's dump format, such as <c>copy ["--from=a"] "x" "/y"</c> (without the outer parentheses).</summary>
    public string Dump()
    {
        var dump = new StringBuilder(Keyword.ToLowerInvariant());
        if (Flags.Count > 0) dump.Append(' ').Append('[').AppendJoin(' ', Flags.Select(GoStrings.Quote)).Append(']');
        if (Trigger is not null) dump.Append(" (").Append(Trigger.Dump()).Append(')');
        foreach (var argument in Arguments) dump.Append(' ').Append(GoStrings.Quote(argument));
        return dump.ToString().Trim();
    }

    /// <inheritdoc />
    public override string ToString() => Original.Trim();
}
