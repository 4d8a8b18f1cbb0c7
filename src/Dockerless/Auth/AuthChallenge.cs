namespace Dockerless.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header: a scheme (<c>Bearer</c>, <c>Basic</c>) and its
/// parameters (<c>realm</c>, <c>service</c>, <c>scope</c>, <c>error</c>). Scheme and parameter names
/// compare case-insensitively.
/// </summary>
/// <param name="Scheme">The scheme as the server wrote it.</param>
/// <param name="Parameters">The parameters, keyed case-insensitively, values unquoted.</param>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The <c>token68</c> form some schemes use instead of parameters (<c>Negotiate abc==</c>), if any.</summary>
    public string? Token68 { get; init; }

    /// <summary>True for the <c>Bearer</c> scheme (token auth).</summary>
    public bool IsBearer => IsScheme("Bearer");

    /// <summary>True for the <c>Basic</c> scheme.</summary>
    public bool IsBasic => IsScheme("Basic");

    /// <summary>The <c>realm</c> parameter: for Bearer, the token endpoint URL.</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The <c>service</c> parameter: the audience to ask the token endpoint for.</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The <c>scope</c> parameter, such as <c>repository:library/alpine:pull</c>.</summary>
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The <c>error</c> parameter (<c>invalid_token</c>, <c>insufficient_scope</c>), if any.</summary>
    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>True when the scheme is <paramref name="scheme"/>, ignoring case.</summary>
    public bool IsScheme(string scheme) => string.Equals(Scheme, scheme, StringComparison.OrdinalIgnoreCase);
}
