namespace Dockerless.Running;

/// <summary>The container process's arguments, environment and working directory, decided as docker decides them.</summary>
internal static class ProcessSettings
{
    /// <summary>
    /// Entrypoint then command. <paramref name="command"/> replaces the image's Cmd; an
    /// <paramref name="entrypoint"/> override replaces its Entrypoint and drops its Cmd too, even
    /// when empty (docker's <c>--entrypoint ""</c> leaves nothing to run but the command given).
    /// </summary>
    public static IReadOnlyList<string> Arguments(ContainerConfig config, IReadOnlyList<string> command, IReadOnlyList<string>? entrypoint)
    {
        var first = entrypoint ?? [.. config.Entrypoint ?? []];
        IReadOnlyList<string> rest = command.Count > 0 ? command
            : entrypoint is not null ? []
            : [.. config.Cmd ?? []];
        var arguments = first.Concat(rest).ToList();
        if (arguments.Count == 0) throw new ContainerConfigurationException("no command specified: the image has no Entrypoint or Cmd, and none was given");
        return arguments;
    }

    /// <summary>
    /// docker's order: PATH (its default), HOSTNAME and TERM (with a terminal) first, replaced or
    /// followed by the image's Env merged with <paramref name="overrides"/> (which win, and come
    /// first); a bare <c>NAME</c> unsets it. HOME from the user's passwd entry when still unset,
    /// as runc adds it.
    /// </summary>
    public static IReadOnlyList<string> Environment(ContainerConfig config, IReadOnlyList<string> overrides, string hostname, bool terminal, string home)
    {
        var container = overrides.Count == 0 ? [.. config.Env] : MergeImageEnvironment(config.Env, overrides);
        var environment = new List<string> { $"PATH={DockerDefaults.Path}", $"HOSTNAME={hostname}" };
        if (terminal) environment.Add("TERM=xterm");
        var index = environment.ToDictionary(Key, environment.IndexOf, StringComparer.Ordinal);
        foreach (var value in container)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (index.TryGetValue(value, out var unset)) environment[unset] = "";
                continue;
            }
            if (index.TryGetValue(value[..equals], out var replaced)) environment[replaced] = value;
            else environment.Add(value);
        }
        environment.RemoveAll(e => e.Length == 0);
        if (!environment.Any(e => Key(e) == "HOME")) environment.Add($"HOME={home}");
        return environment;
    }

    /// <summary>The image's working directory, or <paramref name="requested"/>, which must be absolute; <c>/</c> when neither is set.</summary>
    public static string WorkingDirectory(ContainerConfig config, string? requested)
    {
        if (requested is { Length: > 0 } && requested[0] != '/')
        {
            throw new ContainerConfigurationException($"the working directory '{requested}' is invalid, it needs to be an absolute path");
        }
        return CleanPath(requested is { Length: > 0 } ? requested : config.WorkingDir is { Length: > 0 } dir ? "/" + dir : "/");
    }

    /// <summary>An absolute path without <c>.</c>, <c>..</c> or repeated slashes (<c>..</c> of the root is the root).</summary>
    public static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static List<string> MergeImageEnvironment(IList<string> image, IReadOnlyList<string> overrides)
    {
        var merged = overrides.ToList();
        var keys = overrides.Select(Key).ToHashSet(StringComparer.Ordinal);
        merged.AddRange(image.Where(e => !keys.Contains(Key(e))));
        return merged;
    }

    private static string Key(string variable)
    {
        var equals = variable.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? variable : variable[..equals];
    }
}
