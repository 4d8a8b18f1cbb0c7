using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Distribution;

/// <summary>The error body of the distribution API: <c>{"errors":[{"code":..,"message":..}]}</c>.</summary>
internal sealed record ErrorResponse([property: JsonPropertyName("errors")] IReadOnlyList<ErrorEntry>? Errors);

/// <summary>One entry of an <see cref="ErrorResponse"/>; <c>detail</c> is free-form and ignored.</summary>
internal sealed record ErrorEntry(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>The answer of <c>GET /v2/NAME/tags/list</c>.</summary>
internal sealed record TagList(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags) : IJsonOnDeserialized
{
    /// <summary>A null tag is a bad answer, not a null in the list ListTagsAsync promises to hold strings.</summary>
    void IJsonOnDeserialized.OnDeserialized() => NoNullIn(Tags, "tags");

    internal static void NoNullIn(IReadOnlyList<string>? names, string field)
    {
        if (names is not null && names.Contains(null!)) throw new JsonException($"\"{field}\" holds a null");
    }
}

/// <summary>The answer of <c>GET /v2/_catalog</c>.</summary>
internal sealed record Catalog([property: JsonPropertyName("repositories")] IReadOnlyList<string>? Repositories) : IJsonOnDeserialized
{
    /// <summary>A null repository is a bad answer, as a null tag is.</summary>
    void IJsonOnDeserialized.OnDeserialized() => TagList.NoNullIn(Repositories, "repositories");
}

/// <summary>A token endpoint's answer; Docker Hub says <c>token</c>, OAuth2 says <c>access_token</c>.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("issued_at")] DateTimeOffset? IssuedAt);

/// <summary>Source-generated JSON for the registry protocol's own documents.</summary>
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(Catalog))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
