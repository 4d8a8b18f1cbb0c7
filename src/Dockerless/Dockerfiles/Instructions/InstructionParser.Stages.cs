using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>FROM, ARG, ENV, LABEL and ONBUILD: the instructions that name things.</summary>
public static partial class InstructionParser
{
    private static FromInstruction ParseFrom(DockerfileNode node)
    {
        var arguments = node.Arguments;
        string? stageName = null;
        if (arguments.Count == 3 && arguments[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            stageName = arguments[2].ToLowerInvariant();
            if (!StageName().IsMatch(stageName))
            {
                throw Refuse($"invalid name for build stage: {GoStrings.Quote(arguments[2])}, name can't start with a number or contain symbols");
            }
        }
        else if (arguments.Count != 1)
        {
            throw Refuse("FROM requires either one or three arguments");
        }
        var flags = InstructionFlags.Parse(node.Flags, strings: ["platform"]);
        return new FromInstruction(node, arguments[0], stageName, flags.String("platform"));
    }

    private static ArgInstruction ParseArg(DockerfileNode node)
    {
        // BuildKit does not check ARG's flags.
        if (node.Arguments.Count == 0) throw AtLeastOneArgument("ARG");
        var declarations = node.Arguments.Select(argument =>
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0) return new ArgDeclaration(argument, null);
            if (equals == 0) throw Refuse("ARG names can not be blank");
            return new ArgDeclaration(argument[..equals], argument[(equals + 1)..]);
        });
        return new ArgInstruction(node, [.. declarations]);
    }

    /// <summary>The key, value and separator triples of ENV or LABEL.</summary>
    private static List<KeyValue> KeyValues(DockerfileNode node)
    {
        ParseFlags(node);
        var arguments = node.Arguments;
        if (arguments.Count == 0) throw AtLeastOneArgument(node.Instruction);
        if (arguments.Count % 3 != 0) throw Refuse($"Bad input to {node.Instruction}, too many arguments");
        var pairs = new List<KeyValue>(arguments.Count / 3);
        for (var i = 0; i < arguments.Count; i += 3)
        {
            if (arguments[i].Length == 0) throw Refuse($"{node.Instruction} names can not be blank");
            pairs.Add(new KeyValue(arguments[i], arguments[i + 1], IsLegacyForm: arguments[i + 2].Length == 0));
        }
        return pairs;
    }

    private static OnBuildInstruction ParseOnBuild(DockerfileNode node)
    {
        if (node.Trigger is null) throw AtLeastOneArgument("ONBUILD");
        ParseFlags(node);
        var trigger = node.Trigger.Keyword.Trim().ToUpperInvariant();
        if (trigger == "ONBUILD") throw Refuse("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (trigger is "MAINTAINER" or "FROM") throw Refuse($"{trigger} isn't allowed as an ONBUILD trigger");
        var expression = OnBuildPrefix().Replace(node.Original, "");
        foreach (var heredoc in node.Heredocs) expression += "\n" + heredoc.Content + heredoc.Name;
        return new OnBuildInstruction(node, expression);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex StageName();

    [GeneratedRegex("^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OnBuildPrefix();
}
