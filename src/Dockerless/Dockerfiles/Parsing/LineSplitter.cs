namespace Dockerless.Dockerfiles;

/// <summary>
/// Splits one logical line into keyword, flags and arguments, with each instruction's own rules
/// for its arguments (BuildKit's dispatch table of line parsers).
/// </summary>
internal static class LineSplitter
{
    /// <summary>The parts of <paramref name="line"/>; a bad argument list is an unplaced <see cref="DockerfileSyntaxException"/>.</summary>
    public static ParsedLine Split(string line, char escape)
    {
        var keywordAndRest = AsciiBlanks.SplitFirst(line.Trim());
        var keyword = keywordAndRest[0];
        IReadOnlyList<string> flags = [];
        var rest = "";
        if (keywordAndRest.Length == 2)
        {
            flags = FlagExtractor.Extract(keywordAndRest[1], escape, out rest);
            rest = rest.Trim();
        }
        var (arguments, isJson, trigger) = keyword.ToUpperInvariant() switch
        {
            "ADD" or "COPY" or "VOLUME" => JsonOrWords(rest),
            "ARG" => Plain(ArgumentWords.Split(rest, escape)),
            "CMD" or "ENTRYPOINT" or "RUN" or "SHELL" => JsonOrWhole(rest),
            "ENV" => Plain(KeyValueArguments.Parse(rest, "ENV", escape)),
            "LABEL" => Plain(KeyValueArguments.Parse(rest, "LABEL", escape)),
            "EXPOSE" or "FROM" => Plain(Words(rest)),
            "HEALTHCHECK" => Healthcheck(rest),
            "MAINTAINER" or "STOPSIGNAL" or "USER" or "WORKDIR" => Plain(Whole(rest)),
            "ONBUILD" => (Array.Empty<string>(), false, rest.Length == 0 ? null : Split(rest, escape)),
            // An unknown keyword is refused later, with the other checks of its arguments.
            _ => Plain([]),
        };
        return new ParsedLine(keyword, flags, arguments, isJson, trigger, line);
    }

    private static (IReadOnlyList<string>, bool, ParsedLine?) Plain(IReadOnlyList<string> arguments) => (arguments, false, null);

    private static string[] Whole(string rest) => rest.Length == 0 ? [] : [rest];

    private static string[] Words(string rest) => rest.Length == 0 ? [] : AsciiBlanks.Split(rest);

    /// <summary>A JSON array, or else the whole text as one argument (a shell form).</summary>
    private static (IReadOnlyList<string>, bool, ParsedLine?) JsonOrWhole(string rest)
    {
        if (rest.Length == 0) return Plain([]);
        var json = JsonArrayForm.TryParse(rest);
        return json is null ? Plain([rest]) : (json, true, null);
    }

    /// <summary>A JSON array, or else the words of the text.</summary>
    private static (IReadOnlyList<string>, bool, ParsedLine?) JsonOrWords(string rest)
    {
        var json = JsonArrayForm.TryParse(rest);
        return json is null ? Plain(Words(rest)) : (json, true, null);
    }

    /// <summary>The check type (<c>CMD</c>, <c>NONE</c>) then the command, as for CMD.</summary>
    private static (IReadOnlyList<string>, bool, ParsedLine?) Healthcheck(string rest)
    {
        var typeEnd = 0;
        while (typeEnd < rest.Length && !char.IsWhiteSpace(rest[typeEnd])) typeEnd++;
        if (typeEnd == 0) return Plain([]);
        var commandStart = typeEnd;
        while (commandStart < rest.Length && char.IsWhiteSpace(rest[commandStart])) commandStart++;
        var (command, isJson, _) = JsonOrWhole(rest[commandStart..]);
        return ([rest[..typeEnd], .. command], isJson, null);
    }
}
