namespace Dockerless.Dockerfiles;

/// <summary>RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK: the instructions that hold a command.</summary>
public static partial class InstructionParser
{
    private static readonly string[] NetworkModes = ["default", "none", "host"];
    private static readonly string[] SecurityModes = ["sandbox", "insecure"];

    private static RunInstruction ParseRun(DockerfileNode node)
    {
        var flags = InstructionFlags.Parse(node.Flags, strings: ["network", "security"], listFlags: ["mount", "device"]);
        // BuildKit checks the mounts, then the network, then the security mode.
        foreach (var mount in flags.List("mount")) RunMountParser.Check(mount);
        var network = flags.String("network") ?? "default";
        if (!NetworkModes.Contains(network)) throw Refuse($"invalid network mode {GoStrings.Quote(network)}");
        var security = flags.String("security") ?? "sandbox";
        if (!SecurityModes.Contains(security)) throw Refuse($"security {GoStrings.Quote(security)} is not valid");
        return new RunInstruction(node, CommandOf(node), flags.List("mount"), network, security, flags.List("device"));
    }

    /// <summary>The command of CMD or ENTRYPOINT, which take no flags.</summary>
    private static CommandLine FlaglessCommandOf(DockerfileNode node)
    {
        ParseFlags(node);
        return CommandOf(node);
    }

    /// <summary>The command of RUN, CMD or ENTRYPOINT.</summary>
    private static CommandLine CommandOf(DockerfileNode node) =>
        new(ExecOrShellArguments(node.Arguments, node.IsJsonForm), !node.IsJsonForm, node.Heredocs);

    /// <summary>The exec form's strings, or the shell form's text as one string.</summary>
    private static IReadOnlyList<string> ExecOrShellArguments(IReadOnlyList<string> arguments, bool isJsonForm) =>
        arguments.Count == 0 || isJsonForm ? arguments : [string.Join(' ', arguments)];

    private static ShellInstruction ParseShell(DockerfileNode node)
    {
        ParseFlags(node);
        if (node.Arguments.Count == 0) throw AtLeastOneArgument("SHELL");
        if (!node.IsJsonForm) throw Refuse("SHELL requires the arguments to be in JSON form");
        return new ShellInstruction(node, node.Arguments);
    }

    private static HealthcheckInstruction ParseHealthcheck(DockerfileNode node)
    {
        if (node.Arguments.Count == 0) throw AtLeastOneArgument("HEALTHCHECK");
        var type = node.Arguments[0].ToUpperInvariant();
        var command = node.Arguments.Skip(1).ToList();
        if (type == "NONE")
        {
            // BuildKit does not check the flags of HEALTHCHECK NONE.
            if (command.Count != 0) throw Refuse("HEALTHCHECK NONE takes no arguments");
            return new HealthcheckInstruction(node, ["NONE"], 0, 0, 0, 0, 0);
        }
        var flags = InstructionFlags.Parse(node.Flags, strings: ["interval", "timeout", "start-period", "start-interval", "retries"]);
        if (type != "CMD") throw Refuse($"Unknown type {GoStrings.Quote(type)} in HEALTHCHECK (try CMD)");
        var test = ExecOrShellArguments(command, node.IsJsonForm);
        if (test.Count == 0) throw Refuse("Missing command after HEALTHCHECK CMD");
        return new HealthcheckInstruction(
            node,
            [node.IsJsonForm ? "CMD" : "CMD-SHELL", .. test],
            Interval(flags, "interval"),
            Interval(flags, "timeout"),
            Interval(flags, "start-period"),
            Interval(flags, "start-interval"),
            Retries(flags.String("retries")));
    }

    /// <summary>A HEALTHCHECK duration in nanoseconds: 0 when not given or zero, else at least a millisecond.</summary>
    private static long Interval(InstructionFlags flags, string name)
    {
        var text = flags.String(name);
        if (string.IsNullOrEmpty(text)) return 0;
        var nanoseconds = GoDuration.Parse(text, out var error) ?? throw Refuse(error!);
        if (nanoseconds != 0 && nanoseconds < 1_000_000) throw Refuse($"Interval {GoStrings.Quote(name)} cannot be less than 1ms");
        return nanoseconds;
    }

    private static int Retries(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var retries))
        {
            var reason = text.TrimStart('+', '-').All(char.IsAsciiDigit) && text.TrimStart('+', '-').Length > 0 ? "value out of range" : "invalid syntax";
            throw Refuse($"strconv.ParseInt: parsing {GoStrings.Quote(text)}: {reason}");
        }
        if (retries < 0) throw Refuse($"--retries cannot be negative ({retries})");
        return retries;
    }
}
