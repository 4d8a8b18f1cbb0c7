namespace Dockerless.Dockerfiles;

/// <summary>
/// Turns parsed nodes into typed instructions and build stages, with the checks BuildKit's
/// frontend makes before it builds (argument counts, flags, FROM's stage name, ONBUILD
/// triggers, HEALTHCHECK options). Faults are <see cref="DockerfileSyntaxException"/>s that name
/// the file and the instruction's line, such as <c>Dockerfile:3: unknown instruction: FOOBAR</c>.
/// </summary>
public static partial class InstructionParser
{
    private static readonly string[] InstructionNames =
    [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ];

    /// <summary>Parses the Dockerfile at <paramref name="path"/> into its global ARGs and stages.</summary>
    public static DockerfileStages ParseFile(string path) => Parse(DockerfileParser.ParseFile(path));

    /// <summary>
    /// The global ARGs (those before the first FROM) and the stages of <paramref name="dockerfile"/>,
    /// each with its instructions in order.
    /// </summary>
    public static DockerfileStages Parse(Dockerfile dockerfile)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        var globalArgs = new List<ArgInstruction>();
        var stages = new List<BuildStage>();
        List<Instruction>? current = null;
        foreach (var node in dockerfile.Nodes)
        {
            var instruction = Parse(node, dockerfile.FileName);
            switch (instruction)
            {
                case FromInstruction from:
                    current = [];
                    stages.Add(new BuildStage(stages.Count, from, current));
                    break;
                case ArgInstruction arg when current is null:
                    globalArgs.Add(arg);
                    break;
                default:
                    if (current is null) throw new DockerfileSyntaxException(dockerfile.FileName, node.StartLine, node.EndLine, "no build stage in current context");
                    current.Add(instruction);
                    break;
            }
        }
        return new DockerfileStages(globalArgs, stages);
    }

    /// <summary>
    /// The typed instruction for <paramref name="node"/> (an ONBUILD trigger, for example), faults
    /// named as at <paramref name="fileName"/>.
    /// </summary>
    public static Instruction Parse(DockerfileNode node, string fileName = DockerfileParser.DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            return ParseNode(node);
        }
        catch (DockerfileSyntaxException e) when (e.IsUnplaced)
        {
            throw e.At(fileName, node.StartLine, node.EndLine);
        }
    }

    private static Instruction ParseNode(DockerfileNode node) => node.Instruction switch
    {
        "ADD" => ParseAdd(node),
        "ARG" => ParseArg(node),
        "CMD" => new CmdInstruction(node, FlaglessCommandOf(node)),
        "COPY" => ParseCopy(node),
        "ENTRYPOINT" => new EntrypointInstruction(node, FlaglessCommandOf(node)),
        "ENV" => new EnvInstruction(node, KeyValues(node)),
        "EXPOSE" => ParseExpose(node),
        "FROM" => ParseFrom(node),
        "HEALTHCHECK" => ParseHealthcheck(node),
        "LABEL" => new LabelInstruction(node, KeyValues(node)),
        "MAINTAINER" => new MaintainerInstruction(node, ExactlyOne(node, checkFlags: true)),
        "ONBUILD" => ParseOnBuild(node),
        "RUN" => ParseRun(node),
        "SHELL" => ParseShell(node),
        // BuildKit does not check STOPSIGNAL's flags.
        "STOPSIGNAL" => new StopSignalInstruction(node, ExactlyOne(node, checkFlags: false)),
        "USER" => new UserInstruction(node, ExactlyOne(node, checkFlags: true)),
        "VOLUME" => ParseVolume(node),
        "WORKDIR" => new WorkdirInstruction(node, ExactlyOne(node, checkFlags: true)),
        _ => throw Refuse($"unknown instruction: {node.Keyword}{Suggestion.Suffix(Suggestion.Closest(node.Keyword, InstructionNames, ignoreCase: true))}"),
    };

    /// <summary>Checks flags for an instruction that accepts none.</summary>
    private static InstructionFlags ParseFlags(DockerfileNode node) => InstructionFlags.Parse(node.Flags);

    private static string ExactlyOne(DockerfileNode node, bool checkFlags)
    {
        if (node.Arguments.Count != 1) throw Refuse($"{node.Instruction} requires exactly one argument");
        if (checkFlags) ParseFlags(node);
        return node.Arguments[0];
    }

    private static DockerfileSyntaxException Refuse(string reason) => DockerfileSyntaxException.Unplaced(reason);

    private static DockerfileSyntaxException AtLeastOneArgument(string instruction) => Refuse($"{instruction} requires at least one argument");
}
