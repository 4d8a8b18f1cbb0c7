namespace Dockerless.Dockerfiles;

/// <summary>
/// The arguments of ENV and LABEL: <c>key=value</c> words, or the legacy form <c>key value</c>
/// (a first word without <c>=</c>: the rest of the line is the value).
/// </summary>
internal static class KeyValueArguments
{
    /// <summary>
    /// Key, value and separator triples: the separator is <c>=</c>, or empty for the legacy form.
    /// Keys and values keep their quotes and escapes for expansion.
    /// </summary>
    public static List<string> Parse(string rest, string instruction, char escape)
    {
        var words = ArgumentWords.Split(rest, escape);
        if (words.Count == 0) return [];
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            var parts = AsciiBlanks.SplitFirst(rest);
            if (parts.Length < 2) throw DockerfileSyntaxException.Unplaced($"{instruction} must have two arguments");
            return [parts[0], parts[1], ""];
        }
        var triples = new List<string>(words.Count * 3);
        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw DockerfileSyntaxException.Unplaced(
                    $"Syntax error - can't find = in {GoStrings.Quote(word)}. Must be of the form: name=value");
            }
            triples.AddRange([word[..equals], word[(equals + 1)..], "="]);
        }
        return triples;
    }
}
