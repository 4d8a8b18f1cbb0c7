using System.Text;
using System.Text.Json;
using Dockerless.Tests.Hostile;
using Xunit.Abstractions;

namespace Dockerless.Tests.Fuzz;

/// <summary>
/// Fuzzes the readers of the registry protocol's own JSON answers: error bodies, token endpoint
/// answers, tag lists and catalog pages. The registry is not trusted: whatever it answers must be
/// refused as the caller expects (a <see cref="JsonException"/> the caller turns into a
/// <see cref="RegistryException"/>), or be usable as accepted.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class RegistryBodyFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] ErrorBodies =
    [
        Encoding.UTF8.GetBytes("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v1"}}]}"""),
        Encoding.UTF8.GetBytes("""{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"},{"code":"UNAUTHORIZED","message":"x","detail":[{"Type":"repository","Name":"a","Action":"pull"}]}]}"""),
    ];

    private static readonly byte[][] TokenAnswers =
    [
        Encoding.UTF8.GetBytes("""{"token":"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ0In0.c2ln","access_token":"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ0In0.c2ln","expires_in":300,"issued_at":"2024-05-01T10:00:00.123456789Z"}"""),
        Encoding.UTF8.GetBytes("""{"access_token":"ya29.a0AfH6SMB-_~+/=","token_type":"Bearer","expires_in":3599,"refresh_token":"1//0g"}"""),
    ];

    private static readonly byte[][] Lists =
    [
        Encoding.UTF8.GetBytes("""{"name":"library/app","tags":["v1","latest","1.0.0-rc.1_build"]}"""),
        Encoding.UTF8.GetBytes("""{"repositories":["app","team/app","a/b/c"]}"""),
    ];

    [Fact]
    public void Error_body_reader_never_throws()
        => Fuzz.Run(output, "registry error body", Mutator.Json(ErrorBodies), b => b.Length, bytes => RegistryHttp.FirstError(bytes));

    [Fact]
    public void Token_answer_reader_throws_only_JsonException_and_gives_a_token_a_header_can_carry()
        => Fuzz.RunAsync(output, "token answer", Mutator.Json(TokenAnswers), b => b.Length, async (bytes, cancel) =>
        {
            var now = DateTimeOffset.UtcNow;
            if (await AuthHandler.ReadTokenAsync(new MemoryStream(bytes), now, cancel) is not { } token) return;
            // The token goes out as "Authorization: Bearer TOKEN": the transport refuses CR, LF and NUL
            // with a FormatException, and any byte beyond ASCII with an HttpRequestException.
            Assert.All(token.Token, c => Assert.InRange(c, '!', '~'));
        }, typeof(JsonException));

    [Fact]
    public void Tag_list_and_catalog_readers_throw_only_JsonException_and_give_no_null()
        => Fuzz.RunAsync(output, "tag list and catalog", Mutator.Json(Lists), b => b.Length, async (bytes, cancel) =>
        {
            var tags = await RegistryApi.ReadTagsAsync(new MemoryStream(bytes), cancel);
            var repositories = await RegistryApi.ReadRepositoriesAsync(new MemoryStream(bytes), cancel);
            Assert.DoesNotContain(null, tags ?? []);
            Assert.DoesNotContain(null, repositories ?? []);
        }, typeof(JsonException));
}
