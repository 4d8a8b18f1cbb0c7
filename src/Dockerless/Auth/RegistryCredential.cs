namespace Dockerless.Auth;

/// <summary>
/// Credentials for one registry: a username and password (Basic, or bearer tokens fetched with
/// them), an OAuth2 identity (refresh) token, or a registry token used as the bearer token as is.
/// <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed record RegistryCredential
{
    /// <summary>The user name, if any. Not a secret.</summary>
    public string? Username { get; init; }

    /// <summary>The password or personal access token, if any.</summary>
    public string? Password { get; init; }

    /// <summary>An OAuth2 refresh token (docker's <c>identitytoken</c>), exchanged at the token endpoint for access tokens.</summary>
    public string? IdentityToken { get; init; }

    /// <summary>A bearer token sent to the registry as is (docker's <c>registrytoken</c>).</summary>
    public string? RegistryToken { get; init; }

    /// <summary>True when it holds nothing usable.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password)
                           && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);

    /// <summary>A username and password.</summary>
    public static RegistryCredential FromPassword(string username, string password) => new() { Username = username, Password = password };

    /// <summary>Names the kinds of secret held, never their values.</summary>
    public override string ToString()
        => $"RegistryCredential {{ Username = {Username ?? "(none)"}, Password = {Redact(Password)}, IdentityToken = {Redact(IdentityToken)}, RegistryToken = {Redact(RegistryToken)} }}";

    private static string Redact(string? secret) => string.IsNullOrEmpty(secret) ? "(none)" : "***";
}
