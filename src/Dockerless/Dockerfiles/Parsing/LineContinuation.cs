namespace Dockerless.Dockerfiles;

/// <summary>
/// The escape character at the end of a line (before any spaces or tabs) continues the
/// instruction on the next line, unless the escape character before it escapes it.
/// </summary>
internal static class LineContinuation
{
    /// <summary>
    /// <paramref name="line"/> without its continuation character and the blanks after it; true
    /// when the instruction ends on this line (there was no continuation character).
    /// </summary>
    public static bool Trim(string line, char escape, out string trimmed)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        var continues = end > 0 && line[end - 1] == escape && (end == 1 || line[end - 2] != escape);
        trimmed = continues ? line[..(end - 1)] : line;
        return !continues;
    }

    /// <summary>Whether a continuation line holds nothing but white space (BuildKit skips it and warns).</summary>
    public static bool IsBlank(string line) => line.All(char.IsWhiteSpace);
}
