namespace Dockerless.Auth;

/// <summary>
/// What a bearer token may hold. It goes out as <c>Authorization: Bearer TOKEN</c>, where .NET's
/// transport refuses CR, LF and NUL (a <see cref="FormatException"/>) and any character beyond
/// ASCII (an <see cref="HttpRequestException"/>, which reads as a network failure and is retried).
/// RFC 6750's token68 is narrower still; visible ASCII covers every token registries hand out
/// (JWTs, opaque strings), so a token outside it is refused where it is read, naming its source.
/// </summary>
internal static class BearerToken
{
    /// <summary>True when <paramref name="token"/> holds visible ASCII only: no space, control or non-ASCII character.</summary>
    public static bool CanBeSent(string token) => token.All(c => c is >= '!' and <= '~');
}
