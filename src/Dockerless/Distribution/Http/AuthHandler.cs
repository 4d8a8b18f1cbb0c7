using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;

namespace Dockerless.Distribution.Http;

/// <summary>
/// Authenticates requests to one registry. It learns the registry's challenge from its first
/// 401 (Bearer or Basic), then authorizes every request up front: Basic with the credential, or
/// a bearer token for the request's scope, fetched from the challenge's realm (anonymously,
/// with Basic, or by OAuth2 refresh-token POST when the credential is an identity token) and
/// cached per scope until shortly before it expires. A 401 on a request that can be replayed
/// renews the token once and sends it again. Only the origin (scheme, host, port) that issued
/// the challenge gets credentials, as docker's challenge manager does: an upload
/// <c>Location</c> or a paging <c>Link</c> naming another host, or plain http, gets none; and a
/// 401 from another origin a redirect led to is that origin's answer, not a challenge to learn.
/// </summary>
internal sealed class AuthHandler : DelegatingHandler
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(20);
    private const int DefaultTokenLifetimeSeconds = 60;
    /// <summary>The largest token answer read: tokens are a few KiB, an endless answer is not held in memory.</summary>
    private const int MaxTokenAnswer = 1024 * 1024;
    private static readonly string[] RepositoryEndpoints = ["/manifests/", "/blobs/", "/tags/"];
    private readonly RegistryEndpoint _endpoint;
    private readonly HttpMessageInvoker _tokenClient;
    private readonly Lazy<Task<RegistryCredential?>> _credential;
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private Learned? _learned;

    // retry: the registry's retry pipeline, which token requests go through too.
    public AuthHandler(RegistryEndpoint endpoint, RegistryOptions options, ResiliencePipeline<HttpResponseMessage> retry, HttpMessageHandler inner) : base(inner)
    {
        _endpoint = endpoint;
        _tokenClient = new HttpMessageInvoker(inner, disposeHandler: false);
        _credential = new Lazy<Task<RegistryCredential?>>(() => LookUpCredentialAsync(options));
        _retry = retry;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scopes = ScopesOf(request);
        await AuthorizeAsync(request, scopes, rejected: null, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // The challenge is the registry's only when the registry answered: a 401 from where a
        // redirect led (a blob store) is that origin's, and its realm must never get the credential.
        if (response.StatusCode != HttpStatusCode.Unauthorized || !_endpoint.Serves(response.RequestMessage?.RequestUri ?? request.RequestUri)) return response;
        var challenges = WwwAuthenticate.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        var challenge = challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (challenge is null || !CanReplay(request)) return response;
        var rejected = request.Headers.Authorization;
        _learned = new Learned(challenge, request.RequestUri!);
        if (challenge.Scope is { } asked) scopes = [.. scopes.Union(asked.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal)];
        if (challenge.IsBasic && rejected is not null) return response;
        var credential = await _credential.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (challenge.IsBasic && credential?.Password is null) return response;
        response.Dispose();
        await AuthorizeAsync(request, scopes, rejected?.Parameter, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the Authorization header; a bearer token equal to <paramref name="rejected"/> is not reused.</summary>
    private async Task AuthorizeAsync(HttpRequestMessage request, string[] scopes, string? rejected, CancellationToken cancellationToken)
    {
        if (_learned is not { } learned || request.RequestUri is not { } uri || !RedirectHandler.SameOrigin(uri, learned.Origin)) return;
        var challenge = learned.Challenge;
        var credential = await _credential.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (challenge.IsBasic)
        {
            if (credential is { Password: not null }) request.Headers.Authorization = Basic(credential);
            return;
        }
        if (credential?.RegistryToken is { Length: > 0 } registryToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registryToken);
            return;
        }
        var token = await GetTokenAsync(learned, scopes, credential, rejected, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// The cached token for the scopes, or a new one. Concurrent requests rejected with the same
    /// token wait for one renewal instead of each fetching their own.
    /// </summary>
    private async Task<string> GetTokenAsync(Learned learned, string[] scopes, RegistryCredential? credential, string? rejected, CancellationToken cancellationToken)
    {
        var challenge = learned.Challenge;
        var key = $"{challenge.Realm} {challenge.Service} {string.Join(' ', scopes)}";
        if (_tokens.TryGetValue(key, out var cached) && cached.IsFresh && cached.Token != rejected) return cached.Token;
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(key, out cached) && cached.IsFresh && cached.Token != rejected) return cached.Token;
            var token = await FetchTokenAsync(learned, scopes, credential, cancellationToken).ConfigureAwait(false);
            _tokens[key] = token;
            return token.Token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<CachedToken> FetchTokenAsync(Learned learned, string[] scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var challenge = learned.Challenge;
        var realm = Realm(challenge.Realm, learned.Origin, out var why)
            ?? throw new RegistryException("get token", _endpoint.Host, null, HttpStatusCode.Unauthorized, "UNAUTHORIZED", $"the registry's Bearer challenge {why}");
        // A token endpoint that is busy or down (429, 5xx, a reset) is tried again like any
        // replayable request, honouring Retry-After.
        using var response = await _retry.ExecuteAsync(async token =>
        {
            using var request = credential?.IdentityToken is { Length: > 0 } refresh
                ? RefreshTokenRequest(realm, challenge.Service, scopes, refresh)
                : TokenRequest(realm, challenge.Service, scopes, credential);
            return await _tokenClient.SendAsync(request, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var endpoint = realm.GetLeftPart(UriPartial.Path);
            var who = credential?.Username is { } user ? $"user {user}" : "anonymous access";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new RegistryException("get token", _endpoint.Host, null, response.StatusCode, "UNAUTHORIZED", $"the token endpoint {endpoint} refused {who}"),
                HttpStatusCode.Forbidden => new RegistryException("get token", _endpoint.Host, null, response.StatusCode, "DENIED", $"the token endpoint {endpoint} refused {who}"),
                var status => new RegistryException("get token", _endpoint.Host, null, status, status == HttpStatusCode.TooManyRequests ? "TOOMANYREQUESTS" : null,
                    $"the token endpoint {endpoint} answered {(int)status} {status}"),
            };
        }
        var body = await RegistryHttp.ReadAnswerAsync(response, MaxTokenAnswer, "get token", _endpoint.Host, null, "the token endpoint's answer", cancellationToken).ConfigureAwait(false);
        CachedToken? read;
        try
        {
            read = await ReadTokenAsync(new MemoryStream(body, writable: false), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new RegistryException("get token", _endpoint.Host, null, response.StatusCode, null, "the token endpoint answered something that is not a token document", e);
        }
        return read ?? throw new RegistryException("get token", _endpoint.Host, null, response.StatusCode, null, "the token endpoint's answer holds neither token nor access_token");
    }

    /// <summary>
    /// The token endpoint a Bearer challenge's <paramref name="realm"/> names, by the rule for a
    /// Location (<see cref="RedirectHandler.Follow"/>): a relative one is on the registry that
    /// answered <paramref name="challenged"/> (on Unix <c>/token</c> would otherwise be read as
    /// <c>file:///token</c>), and one that is no URI or not http or https is null, with <paramref name="why"/>.
    /// </summary>
    internal static Uri? Realm(string? realm, Uri challenged, out string why)
    {
        if (string.IsNullOrWhiteSpace(realm) || !Uri.TryCreate(realm, UriKind.RelativeOrAbsolute, out var target))
        {
            why = "names no realm";
            return null;
        }
        var resolved = RedirectHandler.Follow(challenged, target, out var reason);
        why = $"names a realm that {reason}";
        return resolved;
    }

    /// <summary>
    /// The token in a token endpoint's answer (<c>token</c>, else <c>access_token</c>) and when to
    /// stop using it: its lifetime (<c>expires_in</c>, default 60 s) from when it was issued (not
    /// after <paramref name="now"/>), less a margin. Null when the answer holds no token; a body
    /// that is not a token document, or a token that cannot be sent, throws <see cref="JsonException"/>.
    /// </summary>
    internal static async Task<CachedToken?> ReadTokenAsync(Stream body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var answer = await JsonSerializer.DeserializeAsync(body, RegistryJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
        var token = answer?.Token is { Length: > 0 } t ? t : answer?.AccessToken;
        if (string.IsNullOrEmpty(token)) return null;
        if (!BearerToken.CanBeSent(token)) throw new JsonException("the token holds a character no Authorization header can carry (a space, a control character or one beyond ASCII)");
        var lifetime = TimeSpan.FromSeconds(answer!.ExpiresIn is > 0 and var seconds ? seconds : DefaultTokenLifetimeSeconds);
        var margin = TimeSpan.FromTicks(Math.Min(ExpiryMargin.Ticks, lifetime.Ticks / 4));
        return new CachedToken(token, (answer.IssuedAt is { } issued && issued < now ? issued : now) + lifetime - margin);
    }

    /// <summary>The Docker Hub flow: GET realm?service=..&amp;scope=.., with Basic when there is a password.</summary>
    private static HttpRequestMessage TokenRequest(Uri realm, string? service, string[] scopes, RegistryCredential? credential)
    {
        var query = new List<string>();
        if (service is not null) query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        if (credential?.Username is { } user) query.Add("account=" + Uri.EscapeDataString(user));
        var separator = realm.Query.Length > 0 ? "&" : "?";
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realm.AbsoluteUri + (query.Count > 0 ? separator + string.Join('&', query) : "")));
        if (credential is { Password: not null }) request.Headers.Authorization = Basic(credential);
        return request;
    }

    /// <summary>OAuth2: POST grant_type=refresh_token with the identity token docker stored at login.</summary>
    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, string[] scopes, string refreshToken) => new(HttpMethod.Post, realm)
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["service"] = service ?? "",
            ["scope"] = string.Join(' ', scopes),
            ["client_id"] = "dockerless",
        }),
    };

    private static AuthenticationHeaderValue Basic(RegistryCredential credential)
        => new("Basic", AuthFile.EncodeAuth(credential.Username ?? "", credential.Password ?? ""));

    /// <summary>A request whose body (if any) can be sent a second time.</summary>
    private static bool CanReplay(HttpRequestMessage request) => request.Content is null or ByteArrayContent or ReadOnlyMemoryContent;

    /// <summary>
    /// The token scopes a request needs, read from its path as distribution does: GET and HEAD
    /// pull, DELETE deletes, anything else pushes; a mount also pulls its source repository.
    /// </summary>
    internal static string[] ScopesOf(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (!path.StartsWith("/v2/", StringComparison.Ordinal)) return [];
        var rest = path[4..];
        if (rest == "_catalog") return ["registry:catalog:*"];
        var end = RepositoryEndpoints.Select(k => rest.LastIndexOf(k, StringComparison.Ordinal)).Max();
        if (end <= 0) return [];
        var name = Uri.UnescapeDataString(rest[..end]);
        var method = request.Method;
        var actions = method == HttpMethod.Get || method == HttpMethod.Head ? "pull" : method == HttpMethod.Delete ? "delete" : "pull,push";
        var scopes = new List<string> { $"repository:{name}:{actions}" };
        var from = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["from"];
        if (from is not null && from != name) scopes.Add($"repository:{from}:pull");
        return [.. scopes.Order(StringComparer.Ordinal)];
    }

    private async Task<RegistryCredential?> LookUpCredentialAsync(RegistryOptions options)
    {
        if (options.Credential is { IsEmpty: false } explicitCredential) return explicitCredential;
        var store = options.CredentialStore ?? new DockerCredentialStore();
        return await store.GetAsync(_endpoint.Name, CancellationToken.None).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fetching.Dispose();
            _tokenClient.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>The registry's challenge and the origin that issued it: the only one credentials go to.</summary>
    private sealed record Learned(AuthChallenge Challenge, Uri Origin);

    /// <summary>A token and when to stop using it: a little before it expires, so it does not expire in flight.</summary>
    internal sealed record CachedToken(string Token, DateTimeOffset Expires)
    {
        public bool IsFresh => DateTimeOffset.UtcNow < Expires;
    }
}
