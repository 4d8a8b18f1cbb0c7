namespace Dockerless.Dockerfiles;

/// <summary>COPY, ADD, EXPOSE and VOLUME: the instructions that name paths and ports.</summary>
public static partial class InstructionParser
{
    private static CopyInstruction ParseCopy(DockerfileNode node)
    {
        RequireDestination(node);
        var flags = InstructionFlags.Parse(
            node.Flags, booleans: ["link", "parents"], strings: ["chown", "from", "chmod"], listFlags: ["exclude"]);
        return new CopyInstruction(
            node,
            Transfer(node),
            flags.String("from"),
            flags.String("chown"),
            flags.String("chmod"),
            flags.Boolean("link") ?? false,
            flags.Boolean("parents") ?? false,
            flags.List("exclude"));
    }

    private static AddInstruction ParseAdd(DockerfileNode node)
    {
        RequireDestination(node);
        var flags = InstructionFlags.Parse(
            node.Flags, booleans: ["link", "keep-git-dir", "unpack"], strings: ["chown", "chmod", "checksum"], listFlags: ["exclude"]);
        return new AddInstruction(
            node,
            Transfer(node),
            flags.String("chown"),
            flags.String("chmod"),
            flags.Boolean("link") ?? false,
            flags.String("checksum"),
            flags.Boolean("keep-git-dir"),
            flags.Boolean("unpack"),
            flags.List("exclude"));
    }

    private static void RequireDestination(DockerfileNode node)
    {
        if (node.Arguments.Count < 2)
        {
            throw Refuse($"{node.Instruction} requires at least two arguments, but only one was provided. Destination could not be determined");
        }
    }

    /// <summary>The sources and destination of COPY or ADD; a source that opens a heredoc becomes an inline file.</summary>
    private static FileTransfer Transfer(DockerfileNode node)
    {
        var destination = node.Arguments[^1];
        if (TryOpenHeredoc(destination) is not null) throw Refuse($"{node.Instruction} cannot accept a heredoc as a destination");
        var sources = new List<string>();
        var inline = new List<InlineSource>();
        foreach (var source in node.Arguments.Take(node.Arguments.Count - 1))
        {
            if (TryOpenHeredoc(source) is { } opened)
            {
                var content = node.Heredocs.LastOrDefault(h => h.Name == opened.Name)?.Content ?? "";
                inline.Add(new InlineSource(opened.Name, opened.Chomp ? Heredoc.RemoveLeadingTabs(content) : content, opened.Expand));
            }
            else
            {
                sources.Add(source);
            }
        }
        return new FileTransfer(sources, inline, destination);
    }

    /// <summary>The heredoc <paramref name="word"/> opens, or null (also when its delimiter cannot be read).</summary>
    private static Heredoc? TryOpenHeredoc(string word)
    {
        try
        {
            return HeredocDetector.Parse(word);
        }
        catch (DockerfileSyntaxException)
        {
            return null;
        }
    }

    private static ExposeInstruction ParseExpose(DockerfileNode node)
    {
        if (node.Arguments.Count == 0) throw AtLeastOneArgument("EXPOSE");
        ParseFlags(node);
        return new ExposeInstruction(node, [.. node.Arguments.Order(StringComparer.Ordinal)]);
    }

    private static VolumeInstruction ParseVolume(DockerfileNode node)
    {
        if (node.Arguments.Count == 0) throw AtLeastOneArgument("VOLUME");
        ParseFlags(node);
        var volumes = node.Arguments.Select(v => v.Trim()).ToList();
        if (volumes.Any(v => v.Length == 0)) throw Refuse("VOLUME specified can not be an empty string");
        return new VolumeInstruction(node, volumes);
    }
}
