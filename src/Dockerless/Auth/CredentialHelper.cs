using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Dockerless.Auth;

/// <summary>
/// Runs a docker credential helper (<c>docker-credential-NAME</c>, found on PATH) with its protocol:
/// <c>get</c> and <c>erase</c> read the server URL on stdin; <c>store</c> reads
/// <c>{"ServerURL","Username","Secret"}</c>; <c>get</c> answers the same JSON. A helper answers
/// "credentials not found" with a failure exit code, which means "no credentials", not an error.
/// </summary>
internal sealed class CredentialHelper
{
    private const string TokenUsername = "<token>";
    private readonly string _program;

    /// <summary>Finds <c>docker-credential-<paramref name="name"/></c> on <paramref name="searchPath"/> (a PATH value).</summary>
    public CredentialHelper(string name, string? searchPath)
    {
        _program = "docker-credential-" + name;
        ExecutablePath = (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, _program))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The helper's full path, or null when it is not on PATH.</summary>
    public string? ExecutablePath { get; }

    /// <summary>The credentials the helper holds for <paramref name="serverUrl"/>, or null when it has none.</summary>
    public async Task<RegistryCredential?> GetAsync(string serverUrl, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync("get", serverUrl, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            if (IsNotFound(output)) return null;
            throw Failure("get", serverUrl, exitCode, output);
        }
        return ParseAnswer(output, $"{_program} get {serverUrl}: the answer");
    }

    /// <summary>
    /// The credential in a helper's answer to <c>get</c> (<c>{"Username","Secret"}</c>), or null
    /// when it holds no secret. An answer that is not JSON is a <see cref="CredentialException"/>
    /// naming <paramref name="what"/>, never quoting the answer, which holds a secret.
    /// </summary>
    internal static RegistryCredential? ParseAnswer(string output, string what)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(output);
            using var document = JsonDocument.Parse(bytes);
            JsonText.RefuseInvalidStrings(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new CredentialException($"{what} is not a JSON object");
            var username = root.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            var secret = root.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (string.IsNullOrEmpty(secret)) return null;
            // docker's convention: the user name "<token>" marks the secret as an identity (refresh) token.
            return username == TokenUsername
                ? new RegistryCredential { IdentityToken = secret }
                : new RegistryCredential { Username = username, Password = secret };
        }
        catch (JsonException e)
        {
            throw CredentialException.NotJson(what, e);
        }
    }

    /// <summary>Stores a username and secret for <paramref name="serverUrl"/> in the helper.</summary>
    public async Task StoreAsync(string serverUrl, string username, string secret, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ServerURL", serverUrl);
            writer.WriteString("Username", username);
            writer.WriteString("Secret", secret);
            writer.WriteEndObject();
        }
        var (exitCode, output) = await RunAsync("store", Encoding.UTF8.GetString(buffer.ToArray()), cancellationToken).ConfigureAwait(false);
        if (exitCode != 0) throw Failure("store", serverUrl, exitCode, output);
    }

    /// <summary>Removes the credentials for <paramref name="serverUrl"/>; false when the helper had none.</summary>
    public async Task<bool> EraseAsync(string serverUrl, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync("erase", serverUrl, cancellationToken).ConfigureAwait(false);
        if (exitCode == 0) return true;
        if (IsNotFound(output)) return false;
        throw Failure("erase", serverUrl, exitCode, output);
    }

    private static bool IsNotFound(string output) => output.Contains("credentials not found", StringComparison.OrdinalIgnoreCase);

    private CredentialException Failure(string verb, string serverUrl, int exitCode, string output)
    {
        // Only the first line of a failure, cut short: helpers print an error there, not the secret.
        var firstLine = output.Split('\n', 2)[0].Trim();
        if (firstLine.Length > 200) firstLine = firstLine[..200];
        return new CredentialException($"{_program} {verb} {serverUrl} failed with exit code {exitCode}: {firstLine}");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string verb, string input, CancellationToken cancellationToken)
    {
        var path = ExecutablePath ?? throw new CredentialException($"the credential helper {_program} is not on PATH");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(verb);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CredentialException($"cannot run the credential helper {path}: {e.Message}", e);
        }
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading its input; its exit code and output tell why.
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            return (process.ExitCode, output.Length > 0 ? output : errors);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
