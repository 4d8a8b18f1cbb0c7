namespace Dockerless;

/// <summary>
/// Credentials could not be read or written: a malformed docker <c>config.json</c> or podman
/// <c>auth.json</c>, or a credential helper that failed. The message names the file or helper,
/// never a secret.
/// </summary>
public sealed class CredentialException : DockerlessException
{
    /// <summary>Creates the exception; the message names the file or helper and what went wrong.</summary>
    public CredentialException(string message, Exception? innerException = null) : base(message, innerException) { }
}
