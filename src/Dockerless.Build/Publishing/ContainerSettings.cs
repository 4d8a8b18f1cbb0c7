using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockerless.Build.Publishing;

/// <summary>A port the image exposes: ContainerPort's Include and Type (tcp or udp).</summary>
public sealed record ContainerPort(string Number, string Type);

/// <summary>
/// The config the project asks for, applied over the base image's config as the SDK applies it:
/// environment variables replace the base's of the same name, labels are added, ports exposed
/// (also those ASPNETCORE_HTTP_PORTS, ASPNETCORE_HTTPS_PORTS and ASPNETCORE_URLS name), the user
/// is ContainerUser or else the base's APP_UID. Everything else of the base's config is kept.
/// </summary>
public sealed partial record ContainerSettings
{
    /// <summary>ContainerWorkingDirectory (<c>/app/</c> by default).</summary>
    public string WorkingDirectory { get; init; } = "/app/";

    /// <summary>ContainerEnvironmentVariable items, in the project's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>ContainerLabel items, the generated OCI labels among them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>ContainerPort items.</summary>
    public IReadOnlyList<ContainerPort> Ports { get; init; } = [];

    /// <summary>ContainerUser; empty for the base's APP_UID, else the base's user.</summary>
    public string User { get; init; } = "";

    /// <summary>How the app starts.</summary>
    public CommandSettings Command { get; init; } = new();

    /// <summary>Applies the settings to <paramref name="config"/> (the base's, already in the image).</summary>
    /// <exception cref="ContainerSettingsException">A port, variable or label is malformed (DLB0003), or the command items contradict each other (DLB0010).</exception>
    public void ApplyTo(ContainerConfig config, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.WorkingDir = WorkingDirectory;
        var env = config.Env.Select(e => e.Split('=', 2)).Where(p => p.Length == 2).ToList();
        foreach (var (name, value) in Environment)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal)) throw new ContainerSettingsException($"ContainerEnvironmentVariable '{name}' is not a valid variable name");
            var index = env.FindIndex(p => p[0] == name);
            if (index >= 0) env[index] = [name, value];
            else env.Add([name, value]);
        }
        config.Env = [.. env.Select(p => $"{p[0]}={p[1]}")];
        foreach (var (name, value) in Labels)
        {
            if (name.Length == 0) throw new ContainerSettingsException("a ContainerLabel has an empty name");
            config.Labels[name] = value;
        }
        foreach (var port in Ports) config.ExposedPorts.Add(PortKey(port));
        var variables = env.ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        foreach (var port in PortsFromAspNetCore(variables)) config.ExposedPorts.Add(port);
        if (User.Length > 0) config.User = User;
        else if (variables.TryGetValue("APP_UID", out var uid)) config.User = uid;
        var command = Command.Resolve(config.Entrypoint?.ToList(), warn);
        config.Entrypoint = command.Entrypoint?.ToList();
        config.Cmd = command.Cmd?.ToList();
    }

    private static string PortKey(ContainerPort port)
    {
        var type = port.Type.Length == 0 ? "tcp" : port.Type.ToLowerInvariant();
        if (!int.TryParse(port.Number, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ContainerSettingsException($"ContainerPort '{port.Number}' is not a port number (1-65535)");
        }
        if (type is not ("tcp" or "udp")) throw new ContainerSettingsException($"ContainerPort '{port.Number}' has Type '{port.Type}'; it must be tcp or udp");
        return $"{number}/{type}";
    }

    /// <summary>The ports an ASP.NET Core app listens on by its environment, as the SDK exposes them.</summary>
    private static IEnumerable<string> PortsFromAspNetCore(Dictionary<string, string> variables)
    {
        foreach (var name in new[] { "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" })
        {
            if (!variables.TryGetValue(name, out var ports)) continue;
            foreach (var port in ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) yield return $"{number}/tcp";
            }
        }
        if (variables.TryGetValue("ASPNETCORE_URLS", out var urls))
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (UrlPort().Match(url) is { Success: true } m) yield return $"{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)}/tcp";
            }
        }
    }

    [GeneratedRegex(@"^\w+://.+:(\d+)/?$")]
    private static partial Regex UrlPort();
}
