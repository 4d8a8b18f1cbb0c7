using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Auth;

/// <summary>
/// Proves <see cref="TokenServer"/> against the real distribution registry with raw HTTP:
/// 401 challenge, token from the realm, 200 with the token.
/// </summary>
public sealed class TokenServerTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private TokenServer _tokens = null!;
    private RegistryProcess _registry = null!;

    public async Task InitializeAsync()
    {
        _tokens = TokenServer.Start("user", "pass");
        try
        {
            _registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { InMemory = true, AuthYaml = _tokens.RegistryAuthYaml });
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws: stop the token server.
            await _tokens.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _tokens.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Challenge_then_token_then_200_on_v2()
    {
        using var first = await _http.GetAsync(_registry.Url("/v2/"));
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        var challenge = Assert.Single(WwwAuthenticate.Parse(first.Headers.WwwAuthenticate.ToString()));
        Assert.True(challenge.IsBearer);
        Assert.Equal(_tokens.Realm.ToString(), challenge.Realm);
        Assert.Equal(TokenServer.DefaultService, challenge.Service);

        var token = await GetTokenAsync(challenge, "user", "pass");

        using var second = await SendAsync(HttpMethod.Get, "/v2/", token);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, _tokens.TokensIssued);
        Assert.Equal("user", Assert.Single(_tokens.Requests).Account);
    }

    [Fact]
    public async Task A_wrong_password_gets_401_from_the_token_endpoint()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_tokens.Realm}?service={TokenServer.DefaultService}");
        request.Headers.Authorization = Basic("user", "wrong");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("UNAUTHORIZED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _tokens.TokensIssued);
        Assert.Equal(401, Assert.Single(_tokens.Requests).Status);
    }

    [Fact]
    public async Task A_push_challenge_names_the_scope_and_a_full_grant_opens_the_upload()
    {
        using var first = await _http.PostAsync(_registry.Url("/v2/team/app/blobs/uploads/"), null);
        var challenge = Assert.Single(WwwAuthenticate.Parse(first.Headers.WwwAuthenticate.ToString()));
        var scope = TokenScope.Parse(challenge.Scope!)!;
        Assert.Equal(("repository", "team/app"), (scope.Type, scope.Name));
        Assert.Equal(["pull", "push"], scope.Actions.Order());

        var token = await GetTokenAsync(challenge, "user", "pass");

        using var upload = await SendAsync(HttpMethod.Post, "/v2/team/app/blobs/uploads/", token);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
    }

    [Fact]
    public async Task A_narrowed_grant_is_refused_by_the_registry_for_push()
    {
        _tokens.GrantedActions = ["pull"];
        using var first = await _http.PostAsync(_registry.Url("/v2/team/app/blobs/uploads/"), null);
        var token = await GetTokenAsync(Assert.Single(WwwAuthenticate.Parse(first.Headers.WwwAuthenticate.ToString())), "user", "pass");

        using var upload = await SendAsync(HttpMethod.Post, "/v2/team/app/blobs/uploads/", token);

        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        var challenge = Assert.Single(WwwAuthenticate.Parse(upload.Headers.WwwAuthenticate.ToString()));
        Assert.Equal("insufficient_scope", challenge.Error);
        using var pull = await SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", token);
        Assert.NotEqual(HttpStatusCode.Unauthorized, pull.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_by_the_registry()
    {
        _tokens.IssueExpiredTokens = true;
        using var first = await _http.GetAsync(_registry.Url("/v2/"));
        var token = await GetTokenAsync(Assert.Single(WwwAuthenticate.Parse(first.Headers.WwwAuthenticate.ToString())), "user", "pass");

        using var second = await SendAsync(HttpMethod.Get, "/v2/", token);

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task Anonymous_tokens_pull_but_do_not_push()
    {
        var pullToken = await GetTokenAsync(new AuthChallenge("Bearer", new Dictionary<string, string>
        {
            ["realm"] = _tokens.Realm.ToString(),
            ["service"] = TokenServer.DefaultService,
            ["scope"] = "repository:team/app:pull,push",
        }), null, null);

        using var pull = await SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", pullToken);
        using var push = await SendAsync(HttpMethod.Post, "/v2/team/app/blobs/uploads/", pullToken);

        Assert.NotEqual(HttpStatusCode.Unauthorized, pull.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Null(Assert.Single(_tokens.Requests).Account);

        _tokens.AllowAnonymous = false;
        using var refused = await _http.GetAsync($"{_tokens.Realm}?service={TokenServer.DefaultService}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_OAuth2_form_returns_a_refresh_token_that_gets_new_tokens()
    {
        _tokens.TokenLifetime = TimeSpan.FromSeconds(2);
        using var password = await _http.PostAsync(_tokens.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "user",
            ["password"] = "pass",
            ["service"] = TokenServer.DefaultService,
            ["scope"] = "repository:team/app:pull",
            ["client_id"] = "dockerless-tests",
            ["access_type"] = "offline",
        }));
        using var passwordAnswer = JsonDocument.Parse(await password.Content.ReadAsStringAsync());
        Assert.Equal(2, passwordAnswer.RootElement.GetProperty("expires_in").GetInt32());
        var refresh = passwordAnswer.RootElement.GetProperty("refresh_token").GetString()!;

        using var renewed = await _http.PostAsync(_tokens.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["service"] = TokenServer.DefaultService,
            ["scope"] = "repository:team/app:pull",
            ["client_id"] = "dockerless-tests",
        }));
        using var renewedAnswer = JsonDocument.Parse(await renewed.Content.ReadAsStringAsync());
        var token = renewedAnswer.RootElement.GetProperty("access_token").GetString()!;
        Assert.False(renewedAnswer.RootElement.TryGetProperty("refresh_token", out _));

        using var v2 = await SendAsync(HttpMethod.Get, "/v2/", token);
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
        Assert.Equal(["password", "refresh_token"], _tokens.Requests.Select(r => r.GrantType));

        using var badRefresh = await _http.PostAsync(_tokens.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "forged",
            ["service"] = TokenServer.DefaultService,
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, badRefresh.StatusCode);
    }

    [Fact]
    public async Task GET_with_offline_token_returns_a_refresh_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_tokens.Realm}?service={TokenServer.DefaultService}&offline_token=true&client_id=t");
        request.Headers.Authorization = Basic("user", "pass");

        using var response = await _http.SendAsync(request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(answer.RootElement.TryGetProperty("refresh_token", out _));
        Assert.Equal(answer.RootElement.GetProperty("token").GetString(), answer.RootElement.GetProperty("access_token").GetString());
        Assert.True(DateTimeOffset.TryParse(answer.RootElement.GetProperty("issued_at").GetString(), out _));
    }

    [Theory]
    [InlineData(TokenFields.Token, true, false)]
    [InlineData(TokenFields.AccessToken, false, true)]
    public async Task The_answer_can_carry_one_token_field_only(TokenFields fields, bool token, bool accessToken)
    {
        _tokens.Fields = fields;

        using var response = await _http.GetAsync($"{_tokens.Realm}?service={TokenServer.DefaultService}");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(token, answer.RootElement.TryGetProperty("token", out _));
        Assert.Equal(accessToken, answer.RootElement.TryGetProperty("access_token", out _));
    }

    private async Task<string> GetTokenAsync(AuthChallenge challenge, string? user, string? password)
    {
        var query = $"service={Uri.EscapeDataString(challenge.Service!)}" + (challenge.Scope is { } scope ? $"&scope={Uri.EscapeDataString(scope)}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{challenge.Realm}?{query}");
        if (user is not null) request.Headers.Authorization = Basic(user, password!);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, _registry.Url(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
