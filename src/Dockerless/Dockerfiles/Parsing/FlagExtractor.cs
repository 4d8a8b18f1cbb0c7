namespace Dockerless.Dockerfiles;

/// <summary>
/// Takes the <c>--name=value</c> flags off the front of an instruction's arguments, as BuildKit
/// does: words that start with <c>--</c>, quotes removed and escapes applied, up to the first
/// other word; a lone <c>--</c> ends the flags and is dropped.
/// </summary>
internal static class FlagExtractor
{
    /// <summary>The flags of <paramref name="arguments"/> and the text after them.</summary>
    public static List<string> Extract(string arguments, char escape, out string rest)
    {
        var scanner = new QuotedWordScanner(arguments, escape, keepQuoting: false);
        var flags = new List<string>();
        while (scanner.SkipBlanks())
        {
            if (!arguments.AsSpan(scanner.Position).StartsWith("--", StringComparison.Ordinal)) break;
            var flag = scanner.ReadWord(out var quoted);
            if (flag == "--") break;
            if (quoted || flag.Length > 0) flags.Add(flag);
        }
        rest = arguments[scanner.Position..];
        return flags;
    }
}
