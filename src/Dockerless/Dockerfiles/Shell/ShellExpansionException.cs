namespace Dockerless.Dockerfiles;

/// <summary>
/// A text that BuildKit's shell lexer refuses: an unterminated quote, a bad <c>${...}</c>, or a
/// <c>${VAR?message}</c> whose variable is unset. The message reads as BuildKit's:
/// <c>failed to process "TEXT": REASON</c>.
/// </summary>
public sealed class ShellExpansionException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="text"/>, refused for <paramref name="reason"/>.</summary>
    public ShellExpansionException(string text, string reason)
        : base($"failed to process {GoStrings.Quote(text)}: {reason}")
    {
        Text = text;
        Reason = reason;
    }

    /// <summary>The text that was being expanded.</summary>
    public string Text { get; }

    /// <summary>Why it was refused, such as <c>syntax error: bad substitution</c>.</summary>
    public string Reason { get; }
}
