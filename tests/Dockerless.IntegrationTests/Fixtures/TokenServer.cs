using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>What the token endpoint saw and answered, for assertions.</summary>
/// <param name="Method">GET (docker's token flow) or POST (the OAuth2 form).</param>
/// <param name="GrantType">For POST: <c>password</c> or <c>refresh_token</c>; null for GET.</param>
/// <param name="Account">The authenticated user, or null when anonymous or refused.</param>
/// <param name="Service">The <c>service</c> the client asked for.</param>
/// <param name="Scopes">The scopes the client asked for.</param>
/// <param name="Status">The HTTP status answered.</param>
public sealed record TokenRequest(string Method, string? GrantType, string? Account, string? Service, IReadOnlyList<string> Scopes, int Status)
{
    /// <summary>When it arrived.</summary>
    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;
}

/// <summary>Which of the two token fields a token answer carries.</summary>
[Flags]
public enum TokenFields
{
    /// <summary><c>token</c>, docker's name.</summary>
    Token = 1,

    /// <summary><c>access_token</c>, OAuth2's name.</summary>
    AccessToken = 2,

    /// <summary>Both, as Docker Hub answers.</summary>
    Both = Token | AccessToken,
}

/// <summary>
/// A loopback token endpoint (HttpListener on <c>http://127.0.0.1:PORT/token</c>) for the
/// distribution registry's <c>token</c> auth, the Docker Hub flow. It mints RS256 JWTs signed by a
/// throw-away certificate, checks Basic credentials of one configured user, answers GET
/// (<c>service</c>, <c>scope</c>, <c>offline_token</c>) and the OAuth2 POST form (<c>grant_type=password</c> or
/// <c>refresh_token</c>, <c>access_type=offline</c>), and counts what it served. Its behaviour can be
/// changed at any time: narrower grants, short-lived or already expired tokens, no anonymous access.
/// </summary>
/// <example>
/// <code>
/// await using var tokens = TokenServer.Start(username: "user", password: "pass");
/// // registry config.yml: append tokens.RegistryAuthYaml (auth: token: realm/service/issuer/rootcertbundle)
/// tokens.GrantedActions = ["pull"];                    // a too-narrow scope: push is refused by the registry
/// tokens.TokenLifetime = TimeSpan.FromSeconds(2);      // short-lived: expires_in 2
/// tokens.IssueExpiredTokens = true;                    // tokens the registry rejects (expired beyond its leeway)
/// tokens.Fields = TokenFields.AccessToken;             // answers without "token": the client must read "access_token"
/// Assert.Equal(1, tokens.TokensIssued);
/// Assert.Contains(tokens.Requests, r => r.Status == 401);   // a wrong password
/// </code>
/// </example>
public sealed class TokenServer : IAsyncDisposable
{
    /// <summary>The service name the registry is configured with and tokens are issued for (their <c>aud</c>).</summary>
    public const string DefaultService = "test-registry";

    /// <summary>The issuer the registry trusts.</summary>
    public const string DefaultIssuer = "test-issuer";

    private readonly LoopbackListener _listener;
    private readonly TokenJwt _jwt = new();
    private readonly ConcurrentQueue<TokenRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly string _directory;
    private int _tokensIssued;
    private int _unavailableAnswers;

    private TokenServer(string username, string password)
    {
        Username = username;
        Password = password;
        _directory = Directory.CreateTempSubdirectory("dockerless-token-").FullName;
        File.WriteAllText(RootCertBundlePath, _jwt.Certificate.ExportCertificatePem() + "\n");
        _listener = LoopbackListener.Start(HandleAsync);
    }

    /// <summary>The loopback port.</summary>
    public int Port => _listener.Port;

    /// <summary>The token endpoint: the <c>realm</c> of the registry's challenge.</summary>
    public Uri Realm => new($"http://127.0.0.1:{Port}/token");

    /// <summary>The one user that may log in.</summary>
    public string Username { get; }

    /// <summary>That user's password.</summary>
    public string Password { get; }

    /// <summary>The signing certificate, PEM: the registry's <c>auth.token.rootcertbundle</c>.</summary>
    public string RootCertBundlePath => Path.Combine(_directory, "token-signer.crt");

    /// <summary>The <c>auth</c> section of a registry <c>config.yml</c> that trusts this server (top-level YAML).</summary>
    public string RegistryAuthYaml =>
        $"""
        auth:
          token:
            realm: {Realm}
            service: {DefaultService}
            issuer: {DefaultIssuer}
            rootcertbundle: {RootCertBundlePath}

        """;

    /// <summary>How long a token is valid (its <c>exp</c> and <c>expires_in</c>); default 5 minutes.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Mint tokens that expired 10 minutes ago (past the registry's clock leeway) while announcing
    /// <see cref="TokenLifetime"/> in <c>expires_in</c>: the registry answers 401 to them, so a client must renew.
    /// </summary>
    public bool IssueExpiredTokens { get; set; }

    /// <summary>The actions the logged-in user gets, of those asked for; <c>*</c> grants everything (the default).</summary>
    public IReadOnlyCollection<string> GrantedActions { get; set; } = ["*"];

    /// <summary>The actions an anonymous client gets; default <c>pull</c>, as Docker Hub gives on public repositories.</summary>
    public IReadOnlyCollection<string> AnonymousActions { get; set; } = ["pull"];

    /// <summary>Whether a client without credentials gets a token at all (default true); false answers 401.</summary>
    public bool AllowAnonymous { get; set; } = true;

    /// <summary>The fields the token travels in (default both): a client must accept either alone.</summary>
    public TokenFields Fields { get; set; } = TokenFields.Both;

    /// <summary>How many of the next requests are answered 503 with <c>Retry-After: 1</c>, as an overloaded endpoint does.</summary>
    public int UnavailableAnswers
    {
        get => Volatile.Read(ref _unavailableAnswers);
        set => Volatile.Write(ref _unavailableAnswers, value);
    }

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<TokenRequest> Requests => [.. _requests];

    /// <summary>The number of requests served.</summary>
    public int RequestCount => _requests.Count;

    /// <summary>The number of tokens minted.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Starts the endpoint on a free loopback port.</summary>
    public static TokenServer Start(string username = "user", string password = "pass") => new(username, password);

    /// <summary>Stops the endpoint and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _jwt.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (request.Url?.AbsolutePath != "/token")
            {
                await AnswerAsync(response, 404, w => w.WriteString("error", "not_found"));
                return;
            }
            var isPost = request.HttpMethod == "POST";
            var form = isPost ? await ReadFormAsync(request) : request.QueryString;
            var scopes = isPost
                ? (form["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : form.GetValues("scope")?.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray() ?? [];
            var service = form["service"];
            var grantType = isPost ? form["grant_type"] : null;

            var (status, account, offline) = isPost ? AuthenticatePost(form) : AuthenticateGet(request);
            if (status == 200 && service is not null && service != DefaultService) status = 400;
            if (TakeUnavailableAnswer()) status = 503;
            _requests.Enqueue(new TokenRequest(request.HttpMethod, grantType, status == 200 ? account : null, service, scopes, status));
            if (status != 200)
            {
                await AnswerAsync(response, status, w =>
                {
                    w.WriteStartArray("errors");
                    w.WriteStartObject();
                    w.WriteString("code", status switch { 401 => "UNAUTHORIZED", 503 => "UNAVAILABLE", _ => "BAD_REQUEST" });
                    w.WriteString("message", status switch { 401 => "authentication required", 503 => "try again later", _ => "bad token request" });
                    w.WriteEndObject();
                    w.WriteEndArray();
                });
                return;
            }
            await AnswerAsync(response, 200, w => WriteToken(w, account, scopes, offline && account is not null));
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
    }

    private bool TakeUnavailableAnswer()
    {
        while (Volatile.Read(ref _unavailableAnswers) is > 0 and var left)
        {
            if (Interlocked.CompareExchange(ref _unavailableAnswers, left - 1, left) == left) return true;
        }
        return false;
    }

    private (int Status, string? Account, bool Offline) AuthenticateGet(HttpListenerRequest request)
    {
        var offline = string.Equals(request.QueryString["offline_token"], "true", StringComparison.OrdinalIgnoreCase);
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (AllowAnonymous ? 200 : 401, null, false);
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return (400, null, false);
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var ok = colon > 0 && decoded[..colon] == Username && decoded[(colon + 1)..] == Password;
        return ok ? (200, Username, offline) : (401, null, false);
    }

    private (int Status, string? Account, bool Offline) AuthenticatePost(System.Collections.Specialized.NameValueCollection form)
    {
        var offline = form["access_type"] == "offline";
        switch (form["grant_type"])
        {
            case "password":
                return form["username"] == Username && form["password"] == Password ? (200, Username, offline) : (401, null, false);
            case "refresh_token":
                return form["refresh_token"] is { } refresh && _refreshTokens.TryGetValue(refresh, out var user) ? (200, user, offline) : (401, null, false);
            default:
                return (400, null, false);
        }
    }

    private void WriteToken(Utf8JsonWriter writer, string? account, IEnumerable<string> scopes, bool withRefreshToken)
    {
        var allowed = account is null ? AnonymousActions : GrantedActions;
        var access = scopes.Select(TokenScope.Parse).OfType<TokenScope>()
            .Select(s => s with { Actions = [.. s.Actions.Where(a => allowed.Contains("*") || allowed.Contains(a))] })
            .Where(s => s.Actions.Count > 0)
            .ToList();
        var now = DateTimeOffset.UtcNow;
        var lifetime = TokenLifetime;
        var (notBefore, expires) = IssueExpiredTokens ? (now.AddMinutes(-20), now.AddMinutes(-10)) : (now.AddSeconds(-10), now + lifetime);
        var token = _jwt.Mint(DefaultIssuer, DefaultService, account ?? "", access, notBefore, expires);
        Interlocked.Increment(ref _tokensIssued);

        var fields = Fields;
        if (fields.HasFlag(TokenFields.Token)) writer.WriteString("token", token);
        if (fields.HasFlag(TokenFields.AccessToken)) writer.WriteString("access_token", token);
        writer.WriteNumber("expires_in", (long)lifetime.TotalSeconds);
        writer.WriteString("issued_at", now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture));
        if (access.Count > 0) writer.WriteString("scope", string.Join(' ', access));
        if (withRefreshToken)
        {
            var refresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            _refreshTokens[refresh] = account!;
            writer.WriteString("refresh_token", refresh);
        }
    }

    private static async Task<System.Collections.Specialized.NameValueCollection> ReadFormAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
    }

    private static async Task AnswerAsync(HttpListenerResponse response, int status, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (status == 401) response.AddHeader("WWW-Authenticate", "Basic realm=\"test-token-server\"");
        if (status == 503) response.AddHeader("Retry-After", "1");
        response.ContentLength64 = buffer.Length;
        await response.OutputStream.WriteAsync(buffer.ToArray());
        response.Close();
    }
}
