namespace Dockerless.Dockerfiles;

/// <summary>
/// Shell-style word splitting and variable expansion as BuildKit applies them to Dockerfile
/// arguments: quotes, the escape token, <c>$VAR</c>, <c>${VAR}</c> and the <c>${VAR:-x}</c>,
/// <c>${VAR+x}</c>, <c>${VAR?msg}</c>, <c>${VAR#pat}</c>, <c>${VAR%pat}</c> and <c>${VAR/pat/repl}</c>
/// forms. Variable names are case-sensitive (the Unix rules). Nothing is executed: command
/// substitution and arithmetic are left as text.
/// </summary>
public sealed class ShellLexer
{
    /// <summary>Creates a lexer whose escape character is <paramref name="escapeToken"/> (<c>\</c>, or <c>`</c> after an <c># escape=`</c> directive).</summary>
    public ShellLexer(char escapeToken = '\\')
    {
        EscapeToken = escapeToken;
    }

    /// <summary>The character that escapes the next one and, outside quotes, is dropped.</summary>
    public char EscapeToken { get; }

    /// <summary>Keeps quote characters in the result instead of removing them (BuildKit's <c>RawQuotes</c>).</summary>
    public bool KeepQuotes { get; init; }

    /// <summary>Keeps escape characters in the result instead of removing them (BuildKit's <c>RawEscapes</c>).</summary>
    public bool KeepEscapes { get; init; }

    /// <summary>Treats quotes as ordinary characters (BuildKit's <c>SkipProcessQuotes</c>), as for heredoc bodies.</summary>
    public bool IgnoreQuotes { get; init; }

    /// <summary>
    /// Leaves a reference to a variable that is not set as it was written (<c>$X</c>, <c>${X:-y}</c>)
    /// instead of expanding it to its default or to nothing (BuildKit's <c>SkipUnsetEnv</c>).
    /// </summary>
    public bool KeepUnsetVariables { get; init; }

    /// <summary>
    /// Expands <paramref name="text"/> with <paramref name="variables"/> and splits it into words.
    /// Throws <see cref="ShellExpansionException"/> where BuildKit refuses the text.
    /// </summary>
    public ShellExpansion Expand(string text, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        return new ShellWordProcessor(this, text, variables).Process();
    }

    /// <summary>
    /// <paramref name="text"/> expanded as one word: quotes and escapes removed, variables
    /// replaced, spaces kept (BuildKit's <c>ProcessWord</c>). Use <see cref="Expand"/> to learn
    /// which variables it read.
    /// </summary>
    public string ProcessWord(string text, IReadOnlyDictionary<string, string> variables) => Expand(text, variables).Text;

    /// <summary>
    /// <paramref name="text"/> expanded and split into words at unquoted white space, after
    /// expansion as a shell would (BuildKit's <c>ProcessWords</c>). Use <see cref="Expand"/> to
    /// learn which variables it read.
    /// </summary>
    public IReadOnlyList<string> ProcessWords(string text, IReadOnlyDictionary<string, string> variables) => Expand(text, variables).Words;
}
