using System.Text;

namespace Dockerless.Tests.Auth;

/// <summary>
/// A temporary home for credential tests: a docker config directory, podman auth files, a fake
/// environment and a PATH holding <c>docker-credential-test</c>, a shell script that keeps its
/// secrets in files and logs every call.
/// </summary>
internal sealed class CredentialTestHome : IDisposable
{
    public CredentialTestHome()
    {
        Root = Directory.CreateTempSubdirectory("dockerless-creds-").FullName;
        DockerConfigDirectory = Path.Combine(Root, "docker");
        HelperBin = Path.Combine(Root, "bin");
        HelperStore = Path.Combine(Root, "helper-store");
        Directory.CreateDirectory(HelperBin);
        Directory.CreateDirectory(HelperStore);
        Environment["DOCKER_CONFIG"] = DockerConfigDirectory;
        Environment["PATH"] = HelperBin;
        WriteHelper("test");
    }

    public string Root { get; }

    public string DockerConfigDirectory { get; }

    public string DockerConfigPath => Path.Combine(DockerConfigDirectory, "config.json");

    public string HelperBin { get; }

    public string HelperStore { get; }

    /// <summary>Lines "VERB SERVERURL" for every call of the helper.</summary>
    public string[] HelperCalls => File.Exists(Path.Combine(Root, "calls")) ? File.ReadAllLines(Path.Combine(Root, "calls")) : [];

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public DockerCredentialStore Store(IReadOnlyList<string>? podmanFiles = null, IReadOnlyDictionary<string, RegistryCredential>? explicitCredentials = null)
        => new(new CredentialStoreOptions
        {
            Environment = name => Environment.GetValueOrDefault(name),
            PodmanAuthFiles = podmanFiles ?? [],
            Explicit = explicitCredentials,
            IsRoot = false,
        });

    public void WriteDockerConfig(string json)
    {
        Directory.CreateDirectory(DockerConfigDirectory);
        File.WriteAllText(DockerConfigPath, json);
    }

    public string WriteFile(string name, string json)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Puts a secret into the helper's store, as <c>docker-credential-test store</c> would.</summary>
    public void SeedHelper(string serverUrl, string username, string secret)
        => File.WriteAllText(Path.Combine(HelperStore, Key(serverUrl)), $"{{\"ServerURL\":\"{serverUrl}\",\"Username\":\"{username}\",\"Secret\":\"{secret}\"}}");

    public bool HelperHas(string serverUrl) => File.Exists(Path.Combine(HelperStore, Key(serverUrl)));

    public string HelperSecretFile(string serverUrl) => File.ReadAllText(Path.Combine(HelperStore, Key(serverUrl)));

    /// <summary>Writes <c>docker-credential-NAME</c>; <paramref name="body"/> replaces the default behaviour.</summary>
    public void WriteHelper(string name, string? body = null)
    {
        var script = Path.Combine(HelperBin, "docker-credential-" + name);
        File.WriteAllText(script, "#!/bin/sh\n" + (body ?? $$"""
            store='{{HelperStore}}'
            case "$1" in
              store)
                json=$(cat)
                url=$(printf '%s' "$json" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p')
                echo "store $url" >> '{{Root}}/calls'
                printf '%s' "$json" > "$store/$(printf '%s' "$url" | base64 | tr -d '\n/=')"
                ;;
              get|erase)
                read -r url || true
                echo "$1 $url" >> '{{Root}}/calls'
                file="$store/$(printf '%s' "$url" | base64 | tr -d '\n/=')"
                if [ ! -f "$file" ]; then echo "credentials not found in native keychain"; exit 1; fi
                if [ "$1" = get ]; then cat "$file"; else rm "$file"; fi
                ;;
              *) echo "unknown verb $1" >&2; exit 2 ;;
            esac
            """));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string Key(string serverUrl) => Convert.ToBase64String(Encoding.UTF8.GetBytes(serverUrl)).Replace("/", "", StringComparison.Ordinal).Replace("=", "", StringComparison.Ordinal);
}
