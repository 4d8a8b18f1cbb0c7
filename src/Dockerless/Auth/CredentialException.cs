namespace Dockerless.Auth;

/// <summary>
/// Credentials could not be read or written: a malformed docker <c>config.json</c> or podman
/// <c>auth.json</c>, or a credential helper that failed. The message names the file or helper,
/// never a secret.
/// </summary>
public sealed class CredentialException : DockerlessException
{
    /// <summary>Creates the exception; the message names the file or helper and what went wrong.</summary>
    public CredentialException(string message, Exception? innerException = null) : base(message, innerException) { }

    /// <summary>
    /// <paramref name="what"/> is not valid JSON. Only the parser's position is kept: its message
    /// quotes the offending word, which in an auth file or a helper's answer may be a secret, so
    /// the parser's exception is not kept either.
    /// </summary>
    internal static CredentialException NotJson(string what, System.Text.Json.JsonException e)
        => new($"{what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
}
