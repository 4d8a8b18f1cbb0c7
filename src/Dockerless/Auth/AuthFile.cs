using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dockerless.Auth;

/// <summary>
/// Reads docker's <c>config.json</c> and podman's <c>auth.json</c>, which share a format:
/// <c>auths</c> (key to <c>{auth: base64("user:password"), username, password, identitytoken, registrytoken}</c>),
/// <c>credHelpers</c> (key to helper name) and <c>credsStore</c> (the default helper).
/// The document is kept as a <see cref="JsonObject"/> so that a rewrite keeps every field it does not know.
/// </summary>
internal static class AuthFile
{
    /// <summary>The parsed file, or null when it does not exist; a malformed file throws naming the path.</summary>
    public static async Task<JsonObject?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"cannot read the auth file {path}: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>The auth file's bytes, parsed; an empty file is an empty object, a malformed one throws naming <paramref name="path"/>, never quoting a secret.</summary>
    internal static JsonObject Parse(byte[] bytes, string path)
    {
        if (bytes.AsSpan().Trim("\t\n\r "u8).IsEmpty) return [];
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
            JsonText.RefuseInvalidStrings(bytes, new JsonReaderOptions { AllowTrailingCommas = true });
            return LastValueWins(document.RootElement) as JsonObject
                   ?? throw new CredentialException($"the auth file {path} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw CredentialException.NotJson($"the auth file {path}", e);
        }
    }

    /// <summary>
    /// The element as a node, a key given twice keeping its last value, as docker (Go's
    /// encoding/json) reads such a file; a JsonObject would refuse the second key.
    /// </summary>
    private static JsonNode? LastValueWins(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var node = new JsonObject();
                foreach (var property in element.EnumerateObject()) node[property.Name] = LastValueWins(property.Value);
                return node;
            case JsonValueKind.Array:
                return new JsonArray([.. element.EnumerateArray().Select(LastValueWins)]);
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>The <c>auths</c> object, if present.</summary>
    public static JsonObject? Auths(JsonObject root) => root["auths"] as JsonObject;

    /// <summary>
    /// The name of the credential helper for <paramref name="registry"/>: <c>credHelpers[host]</c>,
    /// else <c>credsStore</c>, else null.
    /// </summary>
    public static string? HelperFor(JsonObject root, string registry)
    {
        if (root["credHelpers"] is JsonObject helpers)
        {
            var key = RegistryKeys.Find(helpers.Select(p => p.Key), registry);
            if (key is not null && StringOf(helpers[key]) is { Length: > 0 } name) return name;
        }
        return StringOf(root["credsStore"]) is { Length: > 0 } store ? store : null;
    }

    /// <summary>The inline credentials for <paramref name="registry"/> in <c>auths</c>, or null when there are none.</summary>
    public static RegistryCredential? ReadEntry(JsonObject root, string registry, string path)
    {
        if (Auths(root) is not { } auths) return null;
        var key = RegistryKeys.Find(auths.Select(p => p.Key), registry);
        if (key is null || auths[key] is not JsonObject entry) return null;

        string? username = StringOf(entry["username"]);
        string? password = StringOf(entry["password"]);
        if (StringOf(entry["auth"]) is { Length: > 0 } auth)
        {
            (username, password) = DecodeAuth(auth, key, path);
        }
        var registryToken = NullIfEmpty(StringOf(entry["registrytoken"]));
        if (registryToken is not null && !BearerToken.CanBeSent(registryToken))
        {
            throw new CredentialException($"the \"registrytoken\" of \"{key}\" in {path} holds a character no Authorization header can carry (a space, a control character or one beyond ASCII)");
        }
        var credential = new RegistryCredential
        {
            Username = NullIfEmpty(username),
            Password = NullIfEmpty(password),
            IdentityToken = NullIfEmpty(StringOf(entry["identitytoken"])),
            RegistryToken = registryToken,
        };
        return credential.IsEmpty ? null : credential;
    }

    /// <summary>The base64 <c>user:password</c> docker writes in <c>auth</c>.</summary>
    public static string EncodeAuth(string username, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    private static (string Username, string Password) DecodeAuth(string auth, string key, string path)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Trim()));
        }
        catch (FormatException e)
        {
            throw new CredentialException($"the \"auth\" of \"{key}\" in {path} is not base64", e);
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) throw new CredentialException($"the \"auth\" of \"{key}\" in {path} is not base64 of \"user:password\"");
        return (decoded[..colon], decoded[(colon + 1)..]);
    }

    private static string? StringOf(JsonNode? node)
        => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
